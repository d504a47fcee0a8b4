using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>Every node's volume report, asked at once (a Down node is not asked), and the stored volume records.</summary>
public sealed class VolumeSurvey
{
    private readonly Dictionary<string, NodeInfo> _nodes;
    private readonly Dictionary<string, NodeVolumes> _reports;
    private readonly Dictionary<string, string> _errors;

    private VolumeSurvey(IReadOnlyList<NodeInfo> nodes, Dictionary<string, NodeVolumes> reports, Dictionary<string, string> errors, IReadOnlyList<VolumeRecord> records)
    {
        _nodes = nodes.ToDictionary(n => n.Name);
        _reports = reports;
        _errors = errors;
        Records = records;
    }

    public IReadOnlyList<VolumeRecord> Records { get; }

    private sealed record Answer(string Name, NodeVolumes? Report, string? Error);

    public List<UnreachableNode> Unreachable => _errors
        .Select(e => new UnreachableNode { Node = e.Key, AgentUrl = _nodes.GetValueOrDefault(e.Key)?.AgentUrl ?? "", Error = e.Value })
        .OrderBy(u => u.Node, StringComparer.Ordinal).ToList();

    public NodeInfo? Node(string name) => _nodes.GetValueOrDefault(name);

    public string ErrorOf(string node) => _errors.GetValueOrDefault(node) ?? $"node {node} is not registered";

    public static async Task<VolumeSurvey> TakeAsync(ClusterStore store, AgentClient agents, CancellationToken ct)
    {
        var nodes = await store.ListNodesAsync(ct);
        var answers = await Task.WhenAll(nodes.Select(async n =>
        {
            if (n.State == NodeState.Down) return new Answer(n.Name, null, $"node {n.Name} is Down");
            try { return new Answer(n.Name, await agents.VolumesAsync(n, ct), null); }
            catch (AgentCallException e) { return new Answer(n.Name, null, e.Message); }
        }));
        return new VolumeSurvey(nodes,
            answers.Where(a => a.Report is not null).ToDictionary(a => a.Name, a => a.Report!),
            answers.Where(a => a.Report is null).ToDictionary(a => a.Name, a => a.Error!),
            await store.ListVolumeRecordsAsync(ct: ct));
    }

    /// <summary>One row per volume per node that reported it, plus each record whose node did not report it.</summary>
    public IReadOnlyList<VolumeView> Views()
    {
        var rows = _reports.Values.SelectMany(r => r.Volumes.Select(v => new VolumeView
        {
            Name = v.Name, Namespace = v.Namespace, Service = v.Service, Volume = v.Volume, Kind = v.Kind, Slot = v.Slot,
            Node = r.Node, SizeBytes = v.SizeBytes, UsedBy = v.UsedBy, Reported = true,
        })).ToList();
        var seen = rows.Select(r => (r.Name, r.Node)).ToHashSet();
        rows.AddRange(Records.Where(r => !seen.Contains((r.Name, r.Node)) && !_reports.ContainsKey(r.Node)).Select(r => new VolumeView
        {
            Name = r.Name, Namespace = r.Namespace, Service = r.Service, Volume = r.Volume, Kind = r.Kind, Slot = r.Slot, Node = r.Node,
        }));
        return rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Node, StringComparer.Ordinal).ToList();
    }
}
