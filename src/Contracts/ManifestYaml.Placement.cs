namespace Orchestrator.Contracts;

/// <summary>The placement block in manifest form; only the parts that are set, so a round trip reads back equal.</summary>
public static partial class ManifestYaml
{
    private static void Placement(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.Placement is not { } p) return;
        yaml.Mapping("placement", () =>
        {
            yaml.Field("strategy", p.Strategy == PlacementStrategy.Binpack ? "binpack" : "spread");
            yaml.Map("nodeSelector", p.NodeSelector);
            if (p.Constraints.Count > 0)
                yaml.Sequence("constraints", p.Constraints, c =>
                {
                    yaml.Field("key", c.Key);
                    yaml.Field("operator", c.Operator.ToString());
                    if (c.Values.Count > 0) yaml.List("values", c.Values);
                });
            if (p.Tolerations.Count > 0)
                yaml.Sequence("tolerations", p.Tolerations, t =>
                {
                    yaml.Field("key", t.Key);
                    yaml.Field("operator", t.Operator.ToString());
                    if (t.Value.Length > 0) yaml.Field("value", t.Value);
                    if (t.Effect is { } effect) yaml.Field("effect", effect.ToString());
                });
            if (p.MaxPerNode is { } max) yaml.Field("maxPerNode", max);
            Affinity(yaml, "affinity", p.Affinity);
            Affinity(yaml, "antiAffinity", p.AntiAffinity);
            if (p.TopologySpread.Count > 0)
                yaml.Sequence("topologySpread", p.TopologySpread, s =>
                {
                    yaml.Field("topologyKey", s.TopologyKey);
                    yaml.Field("maxSkew", s.MaxSkew);
                });
        });
    }

    private static void Affinity(YamlWriter yaml, string key, AffinitySpec affinity)
    {
        if (affinity.Required.Count == 0 && affinity.Preferred.Count == 0) return;
        yaml.Mapping(key, () =>
        {
            if (affinity.Required.Count > 0) yaml.Sequence("required", affinity.Required, t => Term(yaml, t, weighted: false));
            if (affinity.Preferred.Count > 0) yaml.Sequence("preferred", affinity.Preferred, t => Term(yaml, t, weighted: true));
        });
    }

    private static void Term(YamlWriter yaml, AffinityTerm term, bool weighted)
    {
        if (weighted) yaml.Field("weight", term.Weight);
        yaml.Map("labelSelector", term.LabelSelector);
        yaml.Field("topologyKey", term.TopologyKey);
    }
}
