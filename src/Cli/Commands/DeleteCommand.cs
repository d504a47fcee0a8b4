using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc delete service NAME` (or `svc/NAME`) fails when there is nothing to delete, because the user named one object and
/// it is not there; `orc delete -f PATH` reports "not found" per object and succeeds, so tearing down a half-applied
/// folder is not an error. With --wait both return only once the deleted services' replicas are gone.
/// </summary>
public sealed class DeleteCommand(CliContext context)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public Command Build()
    {
        var files = CommonOptions.Files("delete");
        files.Required = false;
        var (wait, timeout) = WaitOptions();
        var command = new Command("delete", "Delete a service by name, or every object in manifests (-f)") { files, wait, timeout, Service(),
            DataObject(ResourceType.Secrets, (api, ns, name, ct) => api.DeleteSecretAsync(ns, name, ct)),
            DataObject(ResourceType.Configs, (api, ns, name, ct) => api.DeleteConfigAsync(ns, name, ct)) };
        command.SetAction(async (parse, ct) =>
        {
            var paths = parse.GetValue(files);
            if (paths is not { Length: > 0 })
            {
                context.Err.WriteLine("error: say what to delete: `orc delete service NAME` or `orc delete -f PATH`");
                return Cli.UsageExitCode;
            }
            return await DeleteAsync(parse, ManifestFileCollector.Read(paths, context.Environment.Stdin), parse.GetValue(wait), parse.GetValue(timeout), ct);
        });
        return command;
    }

    /// <summary>
    /// Deletes every object of the files; Compose files and Kubernetes manifests are translated first, their unsupported
    /// keys skipped without a word (nothing of them would be deleted anyway).
    /// </summary>
    public async Task<int> DeleteAsync(ParseResult parse, List<ManifestFile> files, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        var api = context.Api(parse);
        var response = await api.DeleteAsync(new ApplyRequest { Files = ForeignManifests.Translate(files, ignoreUnsupported: true, warnings: null) }, ct);
        ResultLine.WriteAll(context.Out, response);
        var deleted = response.Results.Where(r => r.Action == ApplyActions.Deleted && r.Kind == ObjectKinds.Service).ToList();
        return wait ? await WaitUntilGoneAsync(api, deleted, timeout, ct) : 0;
    }

    /// <summary>--wait and --timeout, as delete takes them.</summary>
    public static (Option<bool> Wait, Option<TimeSpan> Timeout) DeleteWaitOptions() => WaitOptions();

    private Command Service()
    {
        var (command, name, ns) = CommonOptions.ServiceTarget("Delete one service and stop its replicas");
        var (wait, timeout) = WaitOptions();
        command.Add(wait);
        command.Add(timeout);
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var result = await api.DeleteServiceAsync(parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            context.Out.WriteLine(ResultLine.Of(result, dryRun: false));
            if (result.Action == ApplyActions.NotFound) return Cli.FailureExitCode;
            return parse.GetValue(wait) ? await WaitUntilGoneAsync(api, [result], parse.GetValue(timeout), ct) : 0;
        });
        return command;
    }

    /// <summary>`delete secret|config NAME`; replicas that use it keep what they were given.</summary>
    private Command DataObject(ResourceType type, Func<OrcApi, string, string, CancellationToken, Task<ApplyResult>> delete)
    {
        var name = new Argument<string>("NAME") { Description = $"Name of the {type.Singular}" };
        var ns = CommonOptions.Namespace();
        var command = type.Command(type.Singular, $"Delete one {type.Singular}");
        command.Add(name);
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var result = await delete(context.Api(parse), parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            context.Out.WriteLine(ResultLine.Of(result, dryRun: false));
            return result.Action == ApplyActions.NotFound ? Cli.FailureExitCode : 0;
        });
        return command;
    }

    private static (Option<bool> Wait, Option<TimeSpan> Timeout) WaitOptions() =>
        (new Option<bool>("--wait") { Description = "Return only when every replica of the deleted services is gone (its container stopped and removed)" },
         CommonOptions.Duration("--timeout", "How long --wait waits", DefaultTimeout));

    /// <summary>
    /// Polls the agents (through the control plane) until no container of the deleted services runs. The replicas left the
    /// API with the service; the containers stop on their nodes after it, gracefully, so only the agents can tell.
    /// </summary>
    private async Task<int> WaitUntilGoneAsync(OrcApi api, IReadOnlyList<ApplyResult> deleted, TimeSpan timeout, CancellationToken ct)
    {
        var started = context.Now;
        var last = "";
        foreach (var service in deleted)
        {
            while (true)
            {
                var running = await api.RunningContainersAsync(service.Namespace, service.Name, ct);
                var left = running.Nodes.SelectMany(n => n.Containers.Select(c => $"replica {c.ReplicaId} on {n.Node}")).ToList();
                // A node that does not answer may still run some: not knowing is not "gone".
                var unknown = running.Unreachable.Select(u => $"node {u.Node} did not answer ({u.Error})").ToList();
                if (left.Count == 0 && unknown.Count == 0)
                {
                    context.Out.WriteLine($"service/{service.Name}: no container left");
                    break;
                }
                var progress = $"  service/{service.Name}: {left.Count} container(s) still running{(unknown.Count > 0 ? $"; {string.Join("; ", unknown)}" : "")}";
                if (progress != last) context.Out.WriteLine(progress);
                last = progress;
                if (context.Now - started > timeout)
                {
                    context.Err.WriteLine($"error: service/{service.Name} still has {left.Count} container(s) after {Durations.Format(timeout)}: " +
                        string.Join(", ", [.. left, .. unknown]));
                    return Cli.FailureExitCode;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), context.Environment.Time, ct);
            }
        }
        return 0;
    }
}
