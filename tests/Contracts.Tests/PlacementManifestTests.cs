using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.placement: the full block read into <see cref="PlacementSpec"/>, and every mistake reported where it is.</summary>
[Trait("Category", "Unit")]
public class PlacementManifestTests
{
    private const string Full = """
          placement:
            strategy: binpack
            nodeSelector: {zone: a}
            constraints:
              - {key: zone, operator: In, values: [a, b]}
              - {key: gpu, operator: DoesNotExist}
            tolerations:
              - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
              - {operator: Exists}
            maxPerNode: 1
            affinity:
              required: [{labelSelector: {app: cache}, topologyKey: node.name}]
              preferred: [{weight: 50, labelSelector: {app: cache}, topologyKey: zone}]
            antiAffinity:
              required: [{labelSelector: {app: web}, topologyKey: node.name}]
              preferred: [{weight: 100, labelSelector: {app: web}, topologyKey: zone}]
            topologySpread:
              - {topologyKey: zone, maxSkew: 1}
        """;

    [Fact]
    public void Reads_every_field()
    {
        var result = Load(Header + "\n" + Full);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var p = Assert.Single(result.Services).Spec.Placement!;
        Assert.Equal(PlacementStrategy.Binpack, p.Strategy);
        Assert.Equal("a", p.NodeSelector["zone"]);
        Assert.Equal([ConstraintOperator.In, ConstraintOperator.DoesNotExist], p.Constraints.Select(c => c.Operator));
        Assert.Equal(["a", "b"], p.Constraints[0].Values);
        Assert.Equal(new Toleration { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }, p.Tolerations[0]);
        Assert.Equal(new Toleration { Operator = TolerationOperator.Exists }, p.Tolerations[1]);
        Assert.Equal(1, p.MaxPerNode);
        Assert.Equal(("node.name", 0), (p.Affinity.Required[0].TopologyKey, p.Affinity.Required[0].Weight));
        Assert.Equal(("zone", 50), (p.Affinity.Preferred[0].TopologyKey, p.Affinity.Preferred[0].Weight));
        Assert.Equal("web", p.AntiAffinity.Required[0].LabelSelector["app"]);
        Assert.Equal(100, p.AntiAffinity.Preferred[0].Weight);
        Assert.Equal(new TopologySpreadConstraint { TopologyKey = "zone", MaxSkew = 1 }, Assert.Single(p.TopologySpread));
    }

    [Fact]
    public void Without_placement_the_spec_has_none() => Assert.Null(Assert.Single(Load(Header).Services).Spec.Placement);

    [Fact]
    public void Defaults_fill_what_is_left_out()
    {
        var p = Assert.Single(Load(WithSpec("  placement:", "    maxPerNode: 2")).Services).Spec.Placement!;

        Assert.Equal((PlacementStrategy.Spread, 0, 0), (p.Strategy, p.Tolerations.Count, p.TopologySpread.Count));
    }

    [Fact]
    public void Missing_maxSkew_means_1() =>
        Assert.Equal(1, Assert.Single(Load(WithSpec("  placement:", "    topologySpread: [{topologyKey: zone}]")).Services).Spec.Placement!.TopologySpread[0].MaxSkew);

    [Fact]
    public void An_empty_effect_tolerates_every_effect() =>
        Assert.Null(Assert.Single(Load(WithSpec("  placement:", "    tolerations: [{key: a, value: b, effect: ''}]")).Services).Spec.Placement!.Tolerations[0].Effect);

    public sealed record Case(string Name, string[] Lines, int Line, int Column, string Path, params string[] Message);

    private static readonly Case[] Cases =
    [
        new("placement a list", ["  placement: []"], 7, 14, "spec.placement",
            "must be a mapping with fields strategy, nodeSelector, constraints, tolerations, maxPerNode, affinity, antiAffinity, topologySpread"),
        new("unknown placement field", ["  placement:", "    maxPerNod: 1"], 8, 5, "spec.placement.maxPerNod", "(did you mean \"maxPerNode\"?)"),
        new("strategy unknown", ["  placement:", "    strategy: pack"], 8, 15, "spec.placement.strategy", "must be one of spread, binpack, got \"pack\""),
        new("nodeSelector a list", ["  placement:", "    nodeSelector: [zone]"], 8, 19, "spec.placement.nodeSelector", "must be a mapping of label keys to values"),
        new("nodeSelector key invalid", ["  placement:", "    nodeSelector: {\"bad key\": a}"], 8, 20, "spec.placement.nodeSelector[\"bad key\"]", "is not valid"),
        new("constraint operator in the wrong case", ["  placement:", "    constraints: [{key: zone, operator: in, values: [a]}]"], 8, 41, "spec.placement.constraints[0].operator",
            "must be one of In, NotIn, Exists, DoesNotExist, got \"in\" (did you mean \"In\"?)"),
        new("constraint operator missing", ["  placement:", "    constraints: [{key: zone}]"], 8, 19, "spec.placement.constraints[0].operator", "required: one of In, NotIn, Exists, DoesNotExist"),
        new("In without values", ["  placement:", "    constraints: [{key: zone, operator: In}]"], 8, 19, "spec.placement.constraints[0].values", "required with In"),
        new("Exists with values", ["  placement:", "    constraints: [{key: gpu, operator: Exists, values: [a]}]"], 8, 56, "spec.placement.constraints[0].values", "must be left out with Exists"),
        new("toleration effect unknown", ["  placement:", "    tolerations: [{key: a, value: b, effect: NoScheduling}]"], 8, 46, "spec.placement.tolerations[0].effect",
            "must be one of NoSchedule, PreferNoSchedule, NoExecute", "(did you mean \"NoSchedule\"?)"),
        new("Equal toleration without key", ["  placement:", "    tolerations: [{value: b}]"], 8, 19, "spec.placement.tolerations[0].key", "required with Equal"),
        new("Exists toleration with a value", ["  placement:", "    tolerations: [{key: a, operator: Exists, value: b}]"], 8, 53, "spec.placement.tolerations[0].value", "must be left out with Exists"),
        new("maxPerNode zero", ["  placement:", "    maxPerNode: 0"], 8, 17, "spec.placement.maxPerNode", "must be a whole number from 1 to 10000, got \"0\""),
        new("affinity term without topologyKey", ["  placement:", "    affinity:", "      required: [{labelSelector: {app: a}}]"], 9, 18, "spec.placement.affinity.required[0].topologyKey",
            "required: a node label key or node.name"),
        new("affinity term with an empty selector", ["  placement:", "    affinity:", "      required: [{labelSelector: {}, topologyKey: zone}]"], 9, 34, "spec.placement.affinity.required[0].labelSelector",
            "must name at least one label"),
        new("required term with a weight", ["  placement:", "    antiAffinity:", "      required: [{weight: 5, labelSelector: {app: a}, topologyKey: zone}]"], 9, 19, "spec.placement.antiAffinity.required[0].weight",
            "unknown field \"weight\"; allowed: labelSelector, topologyKey"),
        new("preferred term without weight", ["  placement:", "    antiAffinity:", "      preferred: [{labelSelector: {app: a}, topologyKey: zone}]"], 9, 19, "spec.placement.antiAffinity.preferred[0].weight",
            "required: a whole number from 1 to 100"),
        new("preferred weight above 100", ["  placement:", "    affinity:", "      preferred: [{weight: 101, labelSelector: {app: a}, topologyKey: zone}]"], 9, 28, "spec.placement.affinity.preferred[0].weight",
            "must be a whole number from 1 to 100, got \"101\""),
        new("topologySpread a mapping", ["  placement:", "    topologySpread: {topologyKey: zone}"], 8, 21, "spec.placement.topologySpread",
            "must be a list of spread constraints"),
        new("maxSkew zero", ["  placement:", "    topologySpread: [{topologyKey: zone, maxSkew: 0}]"], 8, 51, "spec.placement.topologySpread[0].maxSkew",
            "must be a whole number from 1 to 10000, got \"0\""),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Theory, MemberData(nameof(CaseNames))]
    public void Reports_the_error_where_it_is_with_what_is_allowed(string name)
    {
        var c = Cases.Single(c => c.Name == name);

        var result = Load(WithSpec(c.Lines));

        Assert.Empty(result.Services);
        var error = Assert.Single(result.Errors, e => e.Path == c.Path);
        Assert.Equal((c.Line, c.Column), (error.Line, error.Column));
        foreach (var fragment in c.Message) Assert.Contains(fragment, error.Message);
    }
}
