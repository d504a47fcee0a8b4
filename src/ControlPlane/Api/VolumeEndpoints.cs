using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// GET /api/v1/volumes (`orc get volumes`): every node's report of the cluster's volumes (asked at once, as `orc top`),
/// joined with the records of where persistent volumes live, so that a volume on a Down node is still listed.
/// DELETE /api/v1/volumes/{name} (`orc volume rm`): refused while in use; removes it from every node that has it and
/// drops its record, which frees its slot to be placed anywhere (docs/volumes.md).
/// </summary>
public static class VolumeEndpoints
{
    public static void MapVolumeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/volumes", async (string? @namespace, ClusterStore store, AgentClient agents, CancellationToken ct) =>
        {
            var survey = await VolumeSurvey.TakeAsync(store, agents, ct);
            return Results.Ok(new VolumeList
            {
                Volumes = survey.Views().Where(v => @namespace is null || v.Namespace == @namespace).ToList(),
                Unreachable = survey.Unreachable,
            });
        });

        app.MapDelete("/api/v1/volumes/{name}", async (string name, ClusterStore store, AgentClient agents, CancellationToken ct) =>
        {
            var survey = await VolumeSurvey.TakeAsync(store, agents, ct);
            var views = survey.Views().Where(v => v.Name == name).ToList();
            if (views.Count == 0) return ApiResults.Error(StatusCodes.Status404NotFound, $"no volume \"{name}\" (orc get volumes lists them)");
            if (await InUseAsync(store, survey, views, ct) is { } use)
                return ApiResults.Error(StatusCodes.Status409Conflict, $"volume {name} is in use by {use}; scale the service down or delete it first");

            var removal = new VolumeRemoval { Name = name };
            foreach (var view in views)
            {
                if (!view.Reported)
                {
                    removal.Warnings.Add($"node {view.Node} did not answer ({survey.ErrorOf(view.Node)}): its copy of the data stays there; remove it by hand when it is back (docker volume rm {name})");
                    continue;
                }
                try
                {
                    await agents.RemoveVolumeAsync(survey.Node(view.Node)!, name, ct);
                    removal.RemovedFrom.Add(view.Node);
                }
                catch (AgentCallException e)
                {
                    return ApiResults.Error(StatusCodes.Status409Conflict, e.Message);
                }
            }
            foreach (var record in survey.Records.Where(r => r.Name == name))
                if (!await store.DeleteVolumeRecordAsync(record, ct))
                    return ApiResults.Error(StatusCodes.Status409Conflict, $"the record of volume {name} changed meanwhile; try again");
            return Results.Ok(removal);
        });
    }

    /// <summary>What still uses the volume: a container that mounts it, or a replica of its slot (or, shared, of its
    /// service) assigned to a node that is not Down. A Down node's replica does not count: removing its volume is how an
    /// admin lets the slot start over elsewhere.</summary>
    private static async Task<string?> InUseAsync(ClusterStore store, VolumeSurvey survey, List<VolumeView> views, CancellationToken ct)
    {
        if (views.FirstOrDefault(v => v.UsedBy.Count > 0) is { } used) return $"{string.Join(", ", used.UsedBy)} on node {used.Node}";
        var first = views[0];
        var replicas = await store.ListReplicasAsync(first.Namespace, first.Service, ct);
        var holders = views.Select(v => v.Node).ToHashSet();
        var user = replicas.FirstOrDefault(r => holders.Contains(r.Node) && survey.Node(r.Node) is { State: not NodeState.Down }
            && (first.Slot is not { } slot || r.Slot == slot));
        return user is null ? null : $"replica {user.ContainerName} on node {user.Node}";
    }
}
