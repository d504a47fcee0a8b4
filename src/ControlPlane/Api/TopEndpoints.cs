using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// GET /api/v1/top/nodes and /api/v1/top/services: cpu and memory in use, asked of every node's agent at once
/// (GET /v1/stats, a few seconds at most). A node that does not answer is listed as unreachable; the others still count.
/// </summary>
public static class TopEndpoints
{
    public static void MapTopEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/top/nodes", async (ClusterStore store, AgentClient agents, CancellationToken ct) =>
        {
            var nodes = (await store.ListNodesAsync(ct)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
            var (usage, unreachable) = await AskAllAsync(nodes, agents, ct);
            return Results.Ok(new TopNodes
            {
                Nodes = nodes.Select(n => usage.TryGetValue(n.Name, out var u)
                    ? new NodeTop
                    {
                        Name = n.Name,
                        Allocatable = n.Capacity,
                        MilliCpu = u.Containers.Sum(c => c.MilliCpu),
                        MemoryBytes = u.Containers.Sum(c => c.MemoryBytes),
                        Replicas = u.Containers.Count,
                    }
                    : new NodeTop { Name = n.Name, Allocatable = n.Capacity }).ToList(),
                Unreachable = unreachable,
            });
        });

        app.MapGet("/api/v1/top/services", async (string? @namespace, ClusterStore store, AgentClient agents, CancellationToken ct) =>
        {
            var services = await store.ListServicesAsync(@namespace, ct);
            var (usage, unreachable) = await AskAllAsync(await store.ListNodesAsync(ct), agents, ct);
            var byService = usage.Values.SelectMany(u => u.Containers).ToLookup(c => (c.Namespace, c.Service));
            return Results.Ok(new TopServices
            {
                Services = services
                    .OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
                    .Select(s =>
                    {
                        var containers = byService[(s.Metadata.Namespace, s.Metadata.Name)].ToList();
                        return new ServiceTop
                        {
                            Namespace = s.Metadata.Namespace,
                            Name = s.Metadata.Name,
                            Replicas = containers.Count,
                            MilliCpu = containers.Sum(c => c.MilliCpu),
                            MemoryBytes = containers.Sum(c => c.MemoryBytes),
                        };
                    }).ToList(),
                Unreachable = unreachable,
            });
        });
    }

    /// <summary>Asked of the agents rather than etcd: a deleted service's replicas are gone from etcd at once, its containers are not.</summary>
    public static void MapContainersEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/containers", async (string? @namespace, string? service, ClusterStore store, AgentClient agents, CancellationToken ct) =>
        {
            var (usage, unreachable) = await AskAllAsync(await store.ListNodesAsync(ct), agents, ct);
            return Results.Ok(new RunningContainers
            {
                Nodes = usage.Values.OrderBy(u => u.Node, StringComparer.Ordinal).Select(u => u with
                {
                    Containers = u.Containers.Where(c => (@namespace is null || c.Namespace == @namespace) && (service is null || c.Service == service)).ToList(),
                }).ToList(),
                Unreachable = unreachable,
            });
        });

    private sealed record Answer(NodeInfo Node, NodeUsage? Usage, string? Error);

    /// <summary>Every node's stats at once; a Down node is not asked (it has been silent for seconds already).</summary>
    private static async Task<(Dictionary<string, NodeUsage> Usage, List<UnreachableNode> Unreachable)> AskAllAsync(
        IReadOnlyList<NodeInfo> nodes, AgentClient agents, CancellationToken ct)
    {
        var answers = await Task.WhenAll(nodes.Select(async n =>
        {
            if (n.State == NodeState.Down) return new Answer(n, null, $"node {n.Name} is Down");
            try { return new Answer(n, await agents.UsageAsync(n, ct), null); }
            catch (AgentCallException e) { return new Answer(n, null, e.Message); }
        }));
        return (
            answers.Where(a => a.Usage is not null).ToDictionary(a => a.Node.Name, a => a.Usage!),
            answers.Where(a => a.Usage is null)
                .Select(a => new UnreachableNode { Node = a.Node.Name, AgentUrl = a.Node.AgentUrl, Error = a.Error! })
                .OrderBy(u => u.Node, StringComparer.Ordinal).ToList());
    }
}
