using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.NodeAgent.Options;

namespace Orchestrator.Bench.HollowNodes;

/// <summary>What one run of the simulation is asked for; every bad flag is named with what is allowed.</summary>
public sealed partial record HollowNodeSettings
{
    public const string Usage =
        "usage: HollowNodes --api URL[,URL...] --nodes N --ca-file CA.crt [--token-file FILE] [--prefix hollow] [--cluster hollow] [--cpu 8] [--memory 32Gi] [--jitter 10]";
    public const int MaxNodes = 5000;

    public string Api { get; init; } = "https://127.0.0.1:7070";

    /// <summary>The cluster CA (a control plane's DATA_DIR/ca.crt) the API's certificate is checked against, as a real agent does.</summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// A file with the token every hollow node calls with. A simulation's shortcut: an admin token may act as any node,
    /// where a real agent joins once and then holds a credential of its own name (docs/security.md).
    /// </summary>
    public string? TokenFile { get; init; }
    public int Nodes { get; init; }
    /// <summary>Node names are PREFIX-0001, PREFIX-0002, ...; every node also carries the label simulation=hollow.</summary>
    public string Prefix { get; init; } = "hollow";
    public string Cluster { get; init; } = "hollow";
    public string Cpu { get; init; } = "8";
    public string Memory { get; init; } = "32Gi";
    /// <summary>Agents start spread over this many seconds, at random, as machines booting would.</summary>
    public double JitterSeconds { get; init; } = 10;

    public static (HollowNodeSettings? Settings, List<string> Problems) Parse(IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        var s = new HollowNodeSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (i + 1 >= args.Count) { problems.Add($"{flag}: needs a value"); break; }
            var value = args[++i];
            switch (flag)
            {
                case "--api": s = s with { Api = value }; break;
                case "--token-file": s = s with { TokenFile = value }; break;
                case "--ca-file": s = s with { CaFile = value }; break;
                case "--prefix": s = s with { Prefix = value }; break;
                case "--cluster": s = s with { Cluster = value }; break;
                case "--cpu": s = s with { Cpu = value }; break;
                case "--memory": s = s with { Memory = value }; break;
                case "--nodes":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxNodes) s = s with { Nodes = n };
                    else problems.Add($"--nodes: a whole number from 1 to {MaxNodes}, got \"{value}\"");
                    break;
                case "--jitter":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var j) && j is >= 0 and <= 600) s = s with { JitterSeconds = j };
                    else problems.Add($"--jitter: seconds from 0 to 600, got \"{value}\"");
                    break;
                default:
                    problems.Add($"{flag}: unknown flag");
                    i--;
                    break;
            }
        }
        if (s.CaFile is { } ca && !File.Exists(ca)) problems.Add($"--ca-file: no such file \"{ca}\" (the control plane writes its CA to DATA_DIR/ca.crt)");
        if (s.Nodes == 0 && !problems.Any(p => p.StartsWith("--nodes"))) problems.Add("--nodes: required");
        if (!NamePrefix().IsMatch(s.Prefix)) problems.Add($"--prefix: lower-case letters, digits and '-', starting with a letter, at most 40, got \"{s.Prefix}\"");
        // The agent's own validation, on the settings of the first node: the same rules as a real agent's flags.
        if (problems.Count == 0) problems.AddRange(NodeAgentOptionsValidator.Validate(s.AgentOptions(1)));
        return (problems.Count == 0 ? s : null, problems);
    }

    public string NodeName(int index) => $"{Prefix}-{index.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>One node's agent settings: those of a real agent, with this run's name, size and the simulation label.</summary>
    public NodeAgentOptions AgentOptions(int index) => new()
    {
        Api = Api,
        NodeName = NodeName(index),
        Cluster = Cluster,
        Labels = "simulation=hollow",
        Cpu = Cpu,
        Memory = Memory,
        // Nothing listens for a hollow node's /v1 API (logs, stats): the discard port answers "refused" at once.
        AdvertiseUrl = "https://127.0.0.1:9",
        CaFile = CaFile ?? "",
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex NamePrefix();
}
