using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Placement;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.Scheduler;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Grains;

public sealed class PlacementGrain(ClusterStore store, EventRecorder events, Placer placer, ControlPlaneLifecycle lifecycle, TimeProvider time,
    ILogger<PlacementGrain> log)
    : Grain, IPlacementGrain
{
    /// <summary>The cluster as the scheduler sees it, kept between decisions and brought up to date from the cache.</summary>
    private readonly LiveSchedulingState _live = new();

    public async Task<PlacementSummary> Place(string ns, string service, int[] slots, string? traceParent)
    {
        using var activity = Telemetry.Source.StartContinued("PlacementGrain.Place", traceParent);
        activity?.SetTag("orchestrator.service", $"{ns}/{service}");
        // A stopping control plane places nothing; the next reconcile reaches this grain on another silo.
        if (lifecycle.Stopping) return new PlacementSummary(0, 0, null, []);
        var spans = new PlacementSpans(time);
        await store.SyncAsync();
        var svc = await store.GetServiceAsync(ns, service);
        if (svc is null) return new PlacementSummary(0, 0, null, []);

        var nodes = await store.ListNodesAsync();
        var all = await store.ListReplicasAsync();
        // Another reconcile may have filled a slot since the caller looked; never place a slot twice.
        // A replica on a draining node does not fill its slot: its successor is what is being placed.
        // Nor does one of an older revision or one that is stopping: a rollout places its successor.
        // Nor does one on a Down node: it is removed once its successor is placed.
        var hash = ContainerSpec.From(svc.Spec).Hash();
        var away = nodes.Where(n => n.Draining || n.State == NodeState.Down).Select(n => n.Name).ToHashSet();
        var filled = all.Where(r => r.Namespace == ns && r.Service == service && !away.Contains(r.Node) && !r.Terminating && r.SpecHash == hash)
            .Select(r => r.Slot).ToHashSet();
        var open = slots.Where(s => !filled.Contains(s)).ToList();
        if (open.Count == 0) return new PlacementSummary(0, 0, null, []);
        spans.Read = spans.Lap();
        Telemetry.SchedulingAttempts.Add(1);
        try
        {
            var summary = await PlaceOpenSlotsAsync(svc, open, nodes, all, activity?.Id ?? traceParent, spans);
            log.LogInformation("placement of {Service}: {Placed} placed, {Unplaced} unplaced of {Open} open slots over {Nodes} nodes and {Replicas} replicas; {Spans}; state rebuilt {Rebuilds} times, updated by {Updates} replica changes",
                $"{ns}/{service}", summary.Placed, summary.Unplaced, open.Count, nodes.Count, all.Count, spans, _live.Rebuilds, _live.Updates);
            return summary;
        }
        catch
        {
            _live.Forget();
            throw;
        }
        finally
        {
            Telemetry.SchedulingDuration.Record(spans.Total.TotalSeconds);
        }
    }

    private async Task<PlacementSummary> PlaceOpenSlotsAsync(ServiceObject svc, List<int> open,
        IReadOnlyList<NodeInfo> nodes, IReadOnlyList<Replica> all, string? traceParent, PlacementSpans spans)
    {
        var (ns, service) = (svc.Metadata.Namespace, svc.Metadata.Name);
        var container = ContainerSpec.From(svc.Spec);
        var hash = container.Hash();
        var evaluationId = $"{ns}/{service}@{svc.Metadata.ResourceVersion}";
        var volumes = await SlotVolumes.ReadAsync(store, svc);
        var state = _live.For(nodes, all);
        var result = placer.Place(state,
            new PlacementRequest(ns, service, container, open, evaluationId, svc.Spec.Placement, svc.Metadata.Labels, volumes.Pins));

        var now = time.GetUtcNow();
        var drawn = new HashSet<string>(StringComparer.Ordinal);
        var replicas = result.Placements.Select(p => new Replica
        {
            Id = ReplicaIds.New(id => _live.Knows(id) || !drawn.Add(id)),
            Namespace = ns,
            Service = service,
            Slot = p.Slot,
            Node = p.Node,
            Generation = svc.Metadata.Generation,
            Container = container,
            SpecHash = hash,
            // Affinity rules of other services match replicas by their service's labels.
            Labels = new Dictionary<string, string>(svc.Metadata.Labels),
            CreatedAt = now,
            PlacementReason = p.Reason,
            TraceParent = traceParent,
        }).ToList();
        spans.Decide = spans.Lap();

        // Written in transactions under etcd's limits: one that loses (the service changed) leaves its slots unplaced.
        var stored = replicas.Count == 0 ? [] : await store.AddReplicasAsync(svc, replicas, r => volumes.NewRecords(r, now));
        spans.Write = spans.Lap();
        // The placer counted every placement in the kept state: those stored are known from now on, the others undone.
        _live.Placed(stored);
        _live.NotStored(replicas.Except(stored));
        if (stored.Count < replicas.Count)
        {
            Telemetry.SchedulingFailures.Add(replicas.Count - stored.Count, new KeyValuePair<string, object?>("reason", "conflict"));
            if (stored.Count == 0) return new PlacementSummary(0, open.Count, "the service changed while it was being placed; retrying", []);
            replicas = stored.ToList();
        }
        if (result.Unplaced.Count > 0)
            Telemetry.SchedulingFailures.Add(result.Unplaced.Count, new KeyValuePair<string, object?>("reason", "unschedulable"));

        if (replicas.Count > 0)
        {
            var where = EventText.Names(replicas.Select(r => $"{r.ContainerName} on {r.Node}").ToList());
            // Not awaited (the recorder logs what it cannot store): the next service's placement waits in this grain's
            // queue, and at 30 services of 1,000 each waited for the event's batch to be stored and seen (0.8 s each).
            _ = Task.Run(() => events.ServiceEventAsync(ns, service, "Scheduled", $"placed {replicas.Count} replica(s): {where}"));
        }
        spans.Record = spans.Lap();
        var explanation = result.Unplaced.Count > 0 ? result.Unplaced[0].Explanation : null;
        Activity.Current?.SetTag("orchestrator.placed", replicas.Count);
        Activity.Current?.SetTag("orchestrator.unplaced", result.Unplaced.Count);
        return new PlacementSummary(replicas.Count, result.Unplaced.Count, explanation,
            replicas.Select(r => $"{r.ContainerName}@{r.Node}").ToArray());
    }
}
