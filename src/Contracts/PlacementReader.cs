using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.placement; each part that is not set keeps the default of <see cref="PlacementSpec"/>.</summary>
internal static class PlacementReader
{
    private static readonly string[] Fields =
        ["strategy", "nodeSelector", "constraints", "tolerations", "maxPerNode", "affinity", "antiAffinity", "topologySpread"];
    private static readonly string[] Strategies = ["spread", "binpack"];
    private static readonly string[] SpreadFields = ["topologyKey", "maxSkew"];

    public static PlacementSpec Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return new();
        return new PlacementSpec
        {
            Strategy = f["strategy"] is { } s && r.Choice(s, f.PathOf("strategy"), Strategies) == "binpack"
                ? PlacementStrategy.Binpack
                : PlacementStrategy.Spread,
            NodeSelector = f["nodeSelector"] is { } selector ? r.Labels(selector, f.PathOf("nodeSelector")) : new(),
            Constraints = f["constraints"] is { } c ? NodeConstraintsReader.Read(c, f.PathOf("constraints"), r) : new(),
            Tolerations = f["tolerations"] is { } t ? TolerationsReader.Read(t, f.PathOf("tolerations"), r) : new(),
            MaxPerNode = f["maxPerNode"] is { } m ? (int?)r.WholeNumber(m, f.PathOf("maxPerNode"), 1, ServiceSpecReader.MaxReplicas) : null,
            Affinity = f["affinity"] is { } a ? AffinityReader.Read(a, f.PathOf("affinity"), r) : new(),
            AntiAffinity = f["antiAffinity"] is { } aa ? AffinityReader.Read(aa, f.PathOf("antiAffinity"), r) : new(),
            TopologySpread = f["topologySpread"] is { } ts
                ? r.Items(ts, f.PathOf("topologySpread"), "spread constraints, like [{topologyKey: zone, maxSkew: 1}]", SpreadFields, spread => Spread(spread, r))
                : new(),
        };
    }

    private static TopologySpreadConstraint? Spread(FieldSet f, ManifestReader r)
    {
        var key = r.RequiredText(f, "topologyKey", TopologyKeyRule);
        var maxSkew = f["maxSkew"] is { } m ? r.WholeNumber(m, f.PathOf("maxSkew"), 1, ServiceSpecReader.MaxReplicas) : 1;
        return key is null || maxSkew is null ? null : new TopologySpreadConstraint { TopologyKey = key, MaxSkew = (int)maxSkew };
    }

    /// <summary>A node label key, or node.name for the node itself (which is also a valid label key).</summary>
    public static readonly TextRule TopologyKeyRule =
        new(Names.IsLabelKey, $"a node label key or {PlacementSpec.NodeNameKey}: {Names.LabelKeyAllowed}");
}
