using System.CommandLine;
using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc top nodes` and `orc top services [-n NS | -A]`: cpu and memory in use right now, from the engines' stats, in
/// kubectl top's units (millicores, Mi). A node whose agent does not answer reads &lt;unknown&gt; and is named on stderr.
/// </summary>
public sealed class TopCommand(CliContext context)
{
    private const string Unknown = "<unknown>";

    public Command Build() => new("top", "Show cpu and memory in use by nodes or services") { Nodes(), Services() };

    private Command Nodes()
    {
        var command = new Command("nodes", "Cpu and memory in use on each node, against what it offers");
        command.Aliases.Add("node");
        command.Aliases.Add("no");
        command.SetAction(async (parse, ct) =>
        {
            var top = await context.Api(parse).TopNodesAsync(ct);
            if (top.Nodes.Count == 0)
            {
                context.Err.WriteLine("No resources found.");
                return 0;
            }
            var table = new Table("NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%", "REPLICAS");
            foreach (var n in top.Nodes)
                table.Add(n.Name,
                    n.MilliCpu is { } cpu ? Cores(cpu) : Unknown, Percent(n.MilliCpu, n.Allocatable.MilliCpu),
                    n.MemoryBytes is { } memory ? Mebibytes(memory) : Unknown, Percent(n.MemoryBytes, n.Allocatable.MemoryBytes),
                    n.Replicas?.ToString(CultureInfo.InvariantCulture) ?? Unknown);
            table.Write(context.Out);
            Warn(top.Unreachable, "");
            return 0;
        });
        return command;
    }

    private Command Services()
    {
        var (ns, all) = (CommonOptions.NamespaceFilter(), CommonOptions.AllNamespaces());
        var command = new Command("services", "Cpu and memory in use by each service, summed over its running replicas") { ns, all };
        command.Aliases.Add("service");
        command.Aliases.Add("svc");
        command.SetAction(async (parse, ct) =>
        {
            var top = await context.Api(parse).TopServicesAsync(parse.GetValue(all) ? null : parse.GetValue(ns), ct);
            if (top.Services.Count == 0)
            {
                context.Err.WriteLine("No resources found.");
                return 0;
            }
            var table = new Table("NAMESPACE", "NAME", "REPLICAS", "CPU(cores)", "MEMORY(bytes)");
            foreach (var s in top.Services)
                table.Add(s.Namespace, s.Name, s.Replicas.ToString(CultureInfo.InvariantCulture), Cores(s.MilliCpu), Mebibytes(s.MemoryBytes));
            table.Write(context.Out);
            Warn(top.Unreachable, "; the replicas it runs are not counted");
            return 0;
        });
        return command;
    }

    private void Warn(IEnumerable<UnreachableNode> unreachable, string consequence)
    {
        foreach (var u in unreachable) context.Err.WriteLine($"warning: no stats from node {u.Node}: {u.Error}{consequence}");
    }

    /// <summary>kubectl top's cpu: always millicores, "250m".</summary>
    public static string Cores(long milliCpu) => milliCpu.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>kubectl top's memory: whole mebibytes, "64Mi".</summary>
    public static string Mebibytes(long bytes) => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "Mi";

    private static string Percent(long? used, long allocatable) =>
        used is { } u && allocatable > 0 ? Math.Round(100.0 * u / allocatable).ToString(CultureInfo.InvariantCulture) + "%" : Unknown;
}
