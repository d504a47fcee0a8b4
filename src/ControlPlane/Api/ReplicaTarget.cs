using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Which replica `orc exec TARGET` and `orc port-forward TARGET` mean, in one namespace: a service's name picks one of its
/// running replicas (as `kubectl exec deploy/web` picks a pod), else a replica's id, its name (web.2.ab12cd) or an
/// unambiguous prefix of either. Pure: the replicas and their statuses come in, the choice or the reason why none goes out.
/// </summary>
public static class ReplicaTarget
{
    public sealed record Choice(Replica? Replica, int Status, string? Error);

    public static Choice Choose(string ns, string wanted, IReadOnlyList<Replica> replicas, IReadOnlyDictionary<string, ReplicaStatus> statuses)
    {
        var ofService = replicas.Where(r => r.Service == wanted).ToList();
        if (ofService.Count > 0)
        {
            var running = ofService.Where(r => !r.Terminating && statuses.GetValueOrDefault(r.Id)?.State == ReplicaState.Running)
                .OrderBy(r => r.Slot).ThenBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
            return running is not null ? new Choice(running, 200, null)
                : new Choice(null, 409, $"service \"{ns}/{wanted}\" has no running replica: "
                    + string.Join(", ", ofService.Select(r => $"{r.ContainerName} is {statuses.GetValueOrDefault(r.Id)?.State.ToString() ?? "not reported yet"}")));
        }
        var matches = LogsEndpoints.Matching(replicas, wanted);
        return matches.Count switch
        {
            1 => new Choice(matches[0], 200, null),
            0 => new Choice(null, 404, $"no service or replica \"{wanted}\" in namespace \"{ns}\""),
            _ => new Choice(null, 400, $"replica \"{wanted}\" is ambiguous in namespace \"{ns}\": it matches "
                + string.Join(", ", matches.Select(r => r.ContainerName))),
        };
    }
}
