using System.CommandLine;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc node cordon|uncordon|drain NAME`, as kubectl's: drain waits until the node runs nothing of ours.</summary>
public sealed class NodeCommand(CliContext context)
{
    public Command Build()
    {
        var node = new Command("node", "Take a node out of scheduling, put it back, move everything off it, remove it, or let one join");
        node.Add(Verb("cordon", "Take nothing new on the node; what runs there stays"));
        node.Add(Verb("uncordon", "Let the node take new replicas again (also ends a drain)"));
        node.Add(Drain());
        node.Add(JoinToken());
        node.Add(Remove());
        return node;
    }

    private Command JoinToken()
    {
        var ttl = TokenCommand.Ttl();
        var command = new Command("join-token", "Print a join token: an agent started with --join-token exchanges it once for its own credential") { ttl };
        command.SetAction(async (parse, ct) =>
        {
            context.Out.WriteLine((await context.Api(parse).CreateTokenAsync(TokenRoles.Join, parse.GetValue(ttl), ct)).Token);
            return 0;
        });
        return command;
    }

    private Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "The node's name" };
        var command = new Command("rm", "Remove the node and revoke its credential; its replicas are replaced elsewhere") { name };
        command.SetAction(async (parse, ct) =>
        {
            var nodeName = parse.GetValue(name)!;
            await context.Api(parse).RemoveNodeAsync(nodeName, ct);
            context.Out.WriteLine($"node/{nodeName} removed");
            return 0;
        });
        return command;
    }

    private Command Verb(string verb, string description)
    {
        var name = new Argument<string>("NAME") { Description = "The node's name" };
        var command = new Command(verb, description) { name };
        command.SetAction(async (parse, ct) =>
        {
            var nodeName = parse.GetValue(name)!;
            await context.Api(parse).SetNodeSchedulingAsync(nodeName, verb, ct);
            context.Out.WriteLine($"node/{nodeName} {verb}ed");
            return 0;
        });
        return command;
    }

    private Command Drain()
    {
        var name = new Argument<string>("NAME") { Description = "The node's name" };
        var timeout = CommonOptions.Duration("--timeout", "How long drain waits for the node to empty", TimeSpan.FromMinutes(5));
        var noWait = new Option<bool>("--no-wait") { Description = "Return as soon as the drain has begun" };
        var force = new Option<bool>("--force") { Description = "Drain even when no other node can take the replicas (they stay pending until one can)" };
        var command = new Command("drain", "Cordon the node and move its replicas elsewhere, each started before the old one stops")
        {
            name, timeout, noWait, force,
        };
        command.SetAction(async (parse, ct) =>
        {
            var nodeName = parse.GetValue(name)!;
            var api = context.Api(parse);
            if (!parse.GetValue(force) && await NothingCanTakeOverAsync(api, nodeName, ct) is { } why)
            {
                context.Err.WriteLine($"error: node/{nodeName} was not drained: {why}");
                context.Err.WriteLine($"  its replicas would have nowhere to go; add a node or uncordon one, or drain with --force (they stay pending)");
                return Cli.FailureExitCode;
            }
            await api.SetNodeSchedulingAsync(nodeName, "drain", ct);
            context.Out.WriteLine($"node/{nodeName} cordoned, draining");
            if (parse.GetValue(noWait)) return 0;
            return await WaitUntilEmptyAsync(api, nodeName, parse.GetValue(timeout), ct);
        });
        return command;
    }

    /// <summary>
    /// Why no other node could take a replica of <paramref name="node"/>, or null when one could (or there is nothing to
    /// move). Only the nodes' states are checked; room and placement rules are the scheduler's, and a drain that cannot
    /// place everything shows its reason when the wait ends.
    /// </summary>
    private static async Task<string?> NothingCanTakeOverAsync(OrcApi api, string node, CancellationToken ct)
    {
        var nodes = await api.ListNodesAsync(ct);
        if (nodes.All(n => n.Name != node)) throw new CliException($"node \"{node}\" not found");
        var others = nodes.Where(n => n.Name != node).ToList();
        if (others.Any(n => n.State == NodeState.Ready && !n.Cordoned)) return null;
        var running = (await api.ListReplicasAsync(null, null, ct, node)).Count;
        if (running == 0) return null;
        var reasons = others.Select(n => $"{n.Name} is {(n.State != NodeState.Ready ? n.State.ToString() : n.Draining ? "draining" : "cordoned")}");
        return others.Count == 0
            ? $"it is the only node, and it runs {running} replica(s)"
            : $"it runs {running} replica(s) and no other node takes new ones ({string.Join(", ", reasons)})";
    }

    private async Task<int> WaitUntilEmptyAsync(OrcApi api, string node, TimeSpan timeout, CancellationToken ct)
    {
        var started = context.Now;
        var last = -1;
        try
        {
            while (true)
            {
                var left = await api.ListReplicasAsync(null, null, ct, node);
                if (left.Count == 0)
                {
                    context.Out.WriteLine($"node/{node} drained");
                    return 0;
                }
                if (left.Count != last) context.Out.WriteLine($"  {left.Count} replica(s) still on {node}");
                last = left.Count;
                if (context.Now - started > timeout)
                {
                    context.Err.WriteLine($"error: node/{node} still runs {left.Count} replica(s) after {Elapsed(started)}");
                    foreach (var reason in await PendingReasonsAsync(api, left, ct)) context.Err.WriteLine($"  {reason}");
                    return Cli.FailureExitCode;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), context.Environment.Time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Err.WriteLine($"stopped waiting after {Elapsed(started)}; node/{node} goes on draining (`orc node uncordon {node}` ends it)");
            return Cli.InterruptedExitCode;
        }
    }

    /// <summary>What the scheduler said about the services whose replicas are still there: why they cannot move.</summary>
    private static async Task<IEnumerable<string>> PendingReasonsAsync(OrcApi api, IEnumerable<ReplicaView> left, CancellationToken ct)
    {
        var stuck = left.Select(r => (r.Replica.Namespace, r.Replica.Service)).ToHashSet();
        var services = await api.ListServicesAsync(null, ct);
        var reasons = services.Where(s => stuck.Contains((s.Service.Metadata.Namespace, s.Service.Metadata.Name)) && !string.IsNullOrEmpty(s.Status.PendingReason))
            .Select(s => $"service/{s.Service.Metadata.Name}: {s.Status.PendingReason}").ToList();
        return reasons.Count > 0 ? reasons : ["other nodes may lack room or match no placement rule (see orc describe service)"];
    }

    /// <summary>The time actually waited, in whole seconds: never the limit when the wait was cut short.</summary>
    private string Elapsed(DateTimeOffset started) =>
        Durations.Format(TimeSpan.FromSeconds(Math.Round((context.Now - started).TotalSeconds)));
}
