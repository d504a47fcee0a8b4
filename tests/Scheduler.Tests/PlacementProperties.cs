using CsCheck;

namespace Orchestrator.Scheduler.Tests;

/// <summary>Invariants of the default placer over random small clusters: states, sizes, ports and leftovers all mixed.</summary>
[Trait("Category", "Unit")]
public sealed class PlacementProperties
{
    private const int Iterations = 400;
    private static readonly Placer Default = Placer.CreateDefault();

    [Fact]
    public void Every_slot_is_placed_or_unplaced_exactly_once() =>
        RandomCase.Any.Sample(c =>
        {
            var result = Default.Place(c.Snapshot, c.Request);
            var slots = result.Placements.Select(p => p.Slot).Concat(result.Unplaced.Select(u => u.Slot)).Order();
            Assert.Equal(c.Request.Slots.Order(), slots);
        }, iter: Iterations);

    [Fact]
    public void No_placement_pushes_a_node_over_capacity() =>
        RandomCase.Any.Sample(c =>
        {
            var result = Default.Place(c.Snapshot, c.Request);
            var after = c.With(result.Placements);
            foreach (var node in result.Placements.Select(p => p.Node).Distinct())
            {
                var capacity = after.Snapshot.Nodes.Single(n => n.Name == node).Capacity;
                var onNode = after.Snapshot.Replicas.Where(r => r.Node == node).ToList();
                if (c.Request.Container.MilliCpu > 0) Assert.True(onNode.Sum(r => r.Container.MilliCpu) <= capacity.MilliCpu, $"{node} over cpu");
                if (c.Request.Container.MemoryBytes > 0) Assert.True(onNode.Sum(r => r.Container.MemoryBytes) <= capacity.MemoryBytes, $"{node} over memory");
                // The snapshot may already hold collisions of its own; what this batch binds must be bound once.
                foreach (var port in c.Request.Container.Ports.Where(p => p.HostPort > 0))
                    Assert.Single(onNode, r => r.Container.Ports.Any(p => p.HostPort == port.HostPort && p.Protocol.Equals(port.Protocol, StringComparison.OrdinalIgnoreCase)));
            }
        }, iter: Iterations);

    [Fact]
    public void Every_placement_passes_every_filter_when_it_is_made() =>
        RandomCase.Any.Sample(c =>
        {
            var placements = Default.Place(c.Snapshot, c.Request).Placements;
            for (var i = 0; i < placements.Count; i++)
            {
                // The state the i-th placement saw: the snapshot plus every earlier placement of the batch.
                var ctx = PlacementContext.Create(c.With(placements.Take(i)).Snapshot, c.Request);
                foreach (var filter in Default.Filters)
                    Assert.Equal(FilterStatus.Success, filter.Filter(ctx, ctx.Node(placements[i].Node)!));
            }
        }, iter: Iterations);

    [Fact]
    public void A_slot_stays_unplaced_only_when_every_node_rejects_it() =>
        RandomCase.Any.Sample(c =>
        {
            var result = Default.Place(c.Snapshot, c.Request);
            if (result.Unplaced.Count == 0) return;
            var ctx = PlacementContext.Create(c.With(result.Placements).Snapshot, c.Request);
            Assert.All(ctx.Nodes, node => Assert.False(Default.Filter(ctx, node).IsSuccess, $"{node.Name} would fit"));
            Assert.All(result.Unplaced, u => Assert.StartsWith($"0/{ctx.Nodes.Count} nodes available: ", u.Explanation));
        }, iter: Iterations);

    [Fact]
    public void Placements_do_not_depend_on_node_order() =>
        RandomCase.Any.Sample(c =>
        {
            var reversed = c.Snapshot with { Nodes = c.Snapshot.Nodes.Reverse().ToList() };
            Assert.Equal(Default.Place(c.Snapshot, c.Request).Placements, Default.Place(reversed, c.Request).Placements);
        }, iter: Iterations);
}
