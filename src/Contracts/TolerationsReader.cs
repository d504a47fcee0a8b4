using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.placement.tolerations with Kubernetes' rules: Equal needs a key, Exists takes no value.</summary>
internal static class TolerationsReader
{
    private static readonly string[] Fields = ["key", "operator", "value", "effect"];
    private static readonly string[] Operators = Enum.GetNames<TolerationOperator>();
    private static readonly string[] Effects = Enum.GetNames<TaintEffect>();

    public static List<Toleration> Read(YamlNode node, string path, ManifestReader r) =>
        r.Items(node, path, "tolerations, like [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]", Fields, f => Toleration(f, r));

    private static Toleration? Toleration(FieldSet f, ManifestReader r)
    {
        var key = f["key"] is { } k ? r.Text(k, f.PathOf("key"), TextRule.LabelKey) : "";
        var op = f["operator"] is { } o ? r.Choice(o, f.PathOf("operator"), Operators) : nameof(TolerationOperator.Equal);
        var value = f["value"] is { } v ? r.Text(v, f.PathOf("value"), TextRule.LabelValue) : "";
        // An empty effect is Kubernetes' way of saying "every effect", so it is read as not set.
        var effect = f["effect"] is { } e && e is not YamlScalarNode { Value: "" } ? r.Choice(e, f.PathOf("effect"), Effects) : "";
        if (key is null || op is null || value is null || effect is null) return null;
        var parsed = Enum.Parse<TolerationOperator>(op);
        if (parsed == TolerationOperator.Equal && key.Length == 0)
        {
            r.Error(f.LocationOf("key"), f.PathOf("key"), "required with Equal: the taint's key; use operator Exists without a key to tolerate every taint");
            return null;
        }
        if (parsed == TolerationOperator.Exists && value.Length > 0)
        {
            r.Error(f["value"]!, f.PathOf("value"), "must be left out with Exists: it matches every value of the key");
            return null;
        }
        return new Toleration
        {
            Key = key,
            Operator = parsed,
            Value = value,
            Effect = effect.Length == 0 ? null : Enum.Parse<TaintEffect>(effect),
        };
    }
}
