using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.placement.affinity and antiAffinity: required terms, and preferred ones with a weight.</summary>
internal static class AffinityReader
{
    public const int MinWeight = 1;
    /// <summary>Kubernetes' range, so weights copied from Kubernetes manifests keep their meaning.</summary>
    public const int MaxWeight = 100;

    private static readonly string[] Fields = ["required", "preferred"];
    private static readonly string[] RequiredFields = ["labelSelector", "topologyKey"];
    private static readonly string[] PreferredFields = ["weight", "labelSelector", "topologyKey"];

    public static AffinitySpec Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return new();
        return new AffinitySpec
        {
            Required = f["required"] is { } req
                ? r.Items(req, f.PathOf("required"), "terms, like [{labelSelector: {app: web}, topologyKey: node.name}]", RequiredFields, t => Term(t, 0, r))
                : new(),
            Preferred = f["preferred"] is { } pref
                ? r.Items(pref, f.PathOf("preferred"), "terms, like [{weight: 50, labelSelector: {app: web}, topologyKey: zone}]", PreferredFields, t => Preferred(t, r))
                : new(),
        };
    }

    private static AffinityTerm? Preferred(FieldSet f, ManifestReader r)
    {
        var weight = r.Required(f, "weight", $"a whole number from {MinWeight} to {MaxWeight}") is { } w
            ? r.WholeNumber(w, f.PathOf("weight"), MinWeight, MaxWeight)
            : null;
        return weight is null ? null : Term(f, (int)weight, r);
    }

    private static AffinityTerm? Term(FieldSet f, int weight, ManifestReader r)
    {
        var selector = r.Required(f, "labelSelector", "a mapping of service labels, like {app: web}") is { } s
            ? r.Labels(s, f.PathOf("labelSelector"))
            : null;
        var key = r.RequiredText(f, "topologyKey", PlacementReader.TopologyKeyRule);
        if (selector is null || key is null) return null;
        // An empty selector would match every replica in the namespace, which is never what a person means.
        if (selector.Count == 0)
        {
            r.Error(f["labelSelector"]!, f.PathOf("labelSelector"), "must name at least one label, like {app: web}");
            return null;
        }
        return new AffinityTerm { Weight = weight, LabelSelector = selector, TopologyKey = key };
    }
}
