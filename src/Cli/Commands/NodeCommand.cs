using System.CommandLine;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc node cordon|uncordon|drain NAME`, as kubectl's: drain waits until the node runs nothing of ours.</summary>
public sealed class NodeCommand(CliContext context)
{
    public Command Build()
    {
        var node = new Command("node", "Take a node out of scheduling, put it back, or move everything off it");
        node.Add(Verb("cordon", "Take nothing new on the node; what runs there stays", wait: false));
        node.Add(Verb("uncordon", "Let the node take new replicas again (also ends a drain)", wait: false));
        node.Add(Verb("drain", "Cordon the node and move its replicas elsewhere, each started before the old one stops", wait: true));
        return node;
    }

    private Command Verb(string verb, string description, bool wait)
    {
        var name = new Argument<string>("NAME") { Description = "The node's name" };
        var command = new Command(verb, description) { name };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long drain waits for the node to empty (e.g. 00:05:00)",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
        };
        var noWait = new Option<bool>("--no-wait") { Description = "Return as soon as the drain has begun" };
        if (wait)
        {
            command.Add(timeout);
            command.Add(noWait);
        }
        command.SetAction(async (parse, ct) =>
        {
            var nodeName = parse.GetValue(name)!;
            var api = context.Api(parse);
            await api.SetNodeSchedulingAsync(nodeName, verb, ct);
            context.Out.WriteLine($"node/{nodeName} {(verb == "drain" ? "cordoned, draining" : verb + "ed")}");
            if (!wait || parse.GetValue(noWait)) return 0;
            return await WaitUntilEmptyAsync(api, nodeName, parse.GetValue(timeout), ct);
        });
        return command;
    }

    private async Task<int> WaitUntilEmptyAsync(OrcApi api, string node, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = context.Now + timeout;
        var last = -1;
        while (true)
        {
            var left = (await api.ListReplicasAsync(null, null, ct, node)).Count;
            if (left == 0)
            {
                context.Out.WriteLine($"node/{node} drained");
                return 0;
            }
            if (left != last) context.Out.WriteLine($"  {left} replica(s) still on {node}");
            last = left;
            if (context.Now > deadline)
            {
                context.Err.WriteLine($"error: node/{node} still runs {left} replica(s) after {timeout}; other nodes may lack room (see orc describe service)");
                return 1;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), context.Environment.Time, ct);
        }
    }
}
