using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.placement.constraints: Kubernetes nodeAffinity expressions, checked for values that fit the operator.</summary>
internal static class NodeConstraintsReader
{
    private static readonly string[] Fields = ["key", "operator", "values"];
    private static readonly string[] Operators = Enum.GetNames<ConstraintOperator>();

    public static List<NodeConstraint> Read(YamlNode node, string path, ManifestReader r) =>
        r.Items(node, path, "expressions, like [{key: zone, operator: In, values: [a, b]}]", Fields, f => Constraint(f, r));

    private static NodeConstraint? Constraint(FieldSet f, ManifestReader r)
    {
        var key = r.RequiredText(f, "key", PlacementReader.TopologyKeyRule);
        var op = r.Required(f, "operator", $"one of {string.Join(", ", Operators)}") is { } o ? r.Choice(o, f.PathOf("operator"), Operators) : null;
        var values = f["values"] is { } v ? r.TextList(v, f.PathOf("values")) : new List<string>();
        if (key is null || op is null || values is null) return null;
        var parsed = Enum.Parse<ConstraintOperator>(op);
        var needsValues = parsed is ConstraintOperator.In or ConstraintOperator.NotIn;
        if (needsValues && values.Count == 0)
        {
            r.Error(f["values"] ?? f.LocationOf("values"), f.PathOf("values"), $"required with {op}: a list of at least one label value, like [a, b]");
            return null;
        }
        if (!needsValues && values.Count > 0)
        {
            r.Error(f["values"]!, f.PathOf("values"), $"must be left out with {op}: it tests only whether the label is there");
            return null;
        }
        return new NodeConstraint { Key = key, Operator = parsed, Values = values };
    }
}
