using CsCheck;

namespace Orchestrator.Scheduler.Tests;

/// <summary>
/// The placement model's hard rules, checked over random clusters by an oracle written apart from the filters: each
/// placement is judged against the cluster as it was when it was made (the snapshot plus the batch's earlier placements).
/// </summary>
[Trait("Category", "Unit")]
public sealed class PlacementRuleProperties
{
    private const int Iterations = 600;
    private static readonly Placer Default = Placer.CreateDefault();

    [Fact]
    public void Every_required_rule_holds_for_every_placement() =>
        EveryPlacement((c, rules, before, node) =>
        {
            var mine = before.Replicas.Count(r => r.Node == node.Name && r.Service == c.Request.Service && r.Namespace == c.Request.Namespace);

            Assert.All(rules.NodeSelector, s => Assert.Equal(s.Value, node.Labels.GetValueOrDefault(s.Key)));
            Assert.All(node.Taints.Where(t => t.Effect != TaintEffect.PreferNoSchedule), t => Assert.Contains(rules.Tolerations, tol => tol.Tolerates(t)));
            if (rules.MaxPerNode is int max) Assert.True(mine < max, $"{node.Name} already had {mine} of max {max}");
            foreach (var term in rules.Affinity.Required)
            {
                var anywhere = before.Replicas.Count(r => Matches(r, term) && before.Nodes.Any(n => n.Name == r.Node)); // replicas on gone nodes are ignored
                var selfFirst = anywhere == 0 && term.LabelSelector.All(s => RandomCase.ServiceLabels.GetValueOrDefault(s.Key) == s.Value);
                Assert.True(Domain(node, term.TopologyKey) is not null && (InDomain(before, node, term) > 0 || selfFirst), $"affinity {Json.Serialize(term)} fails on {node.Name}");
            }
            foreach (var term in rules.AntiAffinity.Required)
                Assert.True(InDomain(before, node, term) == 0, $"anti-affinity {Json.Serialize(term)} fails on {node.Name}");
        });

    [Fact]
    public void Spread_skew_never_exceeds_max_skew_when_a_placement_is_made() =>
        EveryPlacement((c, rules, before, node) =>
        {
            foreach (var spread in rules.TopologySpread)
            {
                var domain = Domain(node, spread.TopologyKey);
                Assert.NotNull(domain);
                int CountIn(string d) => before.Replicas.Count(r => r.Service == c.Request.Service && before.Nodes.Any(n => n.Name == r.Node && Domain(n, spread.TopologyKey) == d));
                var eligible = before.Nodes.Where(n => Eligible(n, rules) && Domain(n, spread.TopologyKey) is not null)
                    .Select(n => Domain(n, spread.TopologyKey)!).Distinct().ToList();
                var min = eligible.Count == 0 ? 0 : eligible.Min(CountIn);
                Assert.True(CountIn(domain) + 1 - min <= spread.MaxSkew, $"{node.Name} in {domain}: {CountIn(domain)} + 1 - {min} > {spread.MaxSkew}");
            }
        });

    [Fact]
    public void A_kept_state_places_as_a_fresh_one() =>
        RandomCase.Any.Sample(c =>
        {
            // One state across two requests must equal a state rebuilt from the snapshot with the first request's placements.
            var state = SchedulingState.From(c.Snapshot);
            var first = Default.Place(state, c.Request);
            var second = c.Request with { EvaluationId = c.Request.EvaluationId + "-next" };

            var kept = Default.Place(state, second);
            var rebuilt = Default.Place(c.With(first.Placements).Snapshot, second);

            Assert.Equal(rebuilt.Placements, kept.Placements);
            Assert.Equal(rebuilt.Unplaced, kept.Unplaced);
        }, iter: Iterations);

    /// <summary>Runs the check for each placement with the cluster as it was when it was made and the node it chose.</summary>
    private static void EveryPlacement(Action<RandomCase, PlacementSpec, ClusterSnapshot, NodeInfo> check) =>
        RandomCase.Any.Sample(c =>
        {
            var placements = Default.Place(c.Snapshot, c.Request).Placements;
            for (var i = 0; i < placements.Count; i++)
            {
                var before = c.With(placements.Take(i)).Snapshot;
                check(c, c.Request.Placement ?? new PlacementSpec(), before, before.Nodes.Single(n => n.Name == placements[i].Node));
            }
        }, iter: Iterations);

    private static string? Domain(NodeInfo node, string key) => key == PlacementSpec.NodeNameKey ? node.Name : node.Labels.GetValueOrDefault(key);

    private static bool Matches(Replica replica, AffinityTerm term) =>
        replica.Namespace == ObjectKinds.DefaultNamespace && term.LabelSelector.All(s => replica.Labels.GetValueOrDefault(s.Key) == s.Value);

    private static int InDomain(ClusterSnapshot cluster, NodeInfo node, AffinityTerm term)
    {
        var domain = Domain(node, term.TopologyKey);
        return domain is null ? 0 : cluster.Replicas.Count(r => Matches(r, term) && cluster.Nodes.Any(n => n.Name == r.Node && Domain(n, term.TopologyKey) == domain));
    }

    private static bool Eligible(NodeInfo node, PlacementSpec rules) =>
        node.State == NodeState.Ready && !node.Cordoned
        && rules.NodeSelector.All(s => node.Labels.GetValueOrDefault(s.Key) == s.Value)
        && node.Taints.Where(t => t.Effect != TaintEffect.PreferNoSchedule).All(t => rules.Tolerations.Any(tol => tol.Tolerates(t)));
}
