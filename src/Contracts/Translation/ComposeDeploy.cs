using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>A Compose service's deploy section (Swarm's keys) into our spec: replicas, resources, updateStrategy, placement, restartPolicy.</summary>
internal static partial class ComposeDeploy
{
    public static readonly KeyTable Keys = KeyTable.Of("compose services.*.deploy",
        mapped: ["replicas", "mode", "resources", "update_config", "placement", "restart_policy", "labels"]);
    public static readonly KeyTable ResourceKeys = KeyTable.Of("compose services.*.deploy.resources", mapped: ["limits", "reservations"]);
    public static readonly KeyTable LimitKeys = KeyTable.Of("compose services.*.deploy.resources.limits and .reservations", mapped: ["cpus", "memory", "pids"]);
    public static readonly KeyTable UpdateKeys = KeyTable.Of("compose services.*.deploy.update_config",
        mapped: ["parallelism", "order", "failure_action", "delay", "monitor"]);
    public static readonly KeyTable PlacementKeys = KeyTable.Of("compose services.*.deploy.placement", mapped: ["constraints", "max_replicas_per_node"]);
    public static readonly KeyTable RestartKeys = KeyTable.Of("compose services.*.deploy.restart_policy", mapped: ["condition", "delay", "max_attempts"]);

    /// <summary>Adds to <paramref name="spec"/>; answers the service's labels with deploy.labels added.</summary>
    public static YamlMappingNode? Translate(YamlNode node, string path, YamlMappingNode spec, YamlMappingNode? labels, Translator t)
    {
        if (t.Keys(node, path, Keys) is not { } f) return labels;
        if (f.GetValueOrDefault("mode").Value is { } mode && t.Reader.Word(mode, FieldPath.Field(path, "mode"), ["replicated", "global"]) == "global")
            t.Unsupported(mode, FieldPath.Field(path, "mode"), "global services (one replica per node) are not supported: use replicas with placement max_replicas_per_node: 1");
        if (f.GetValueOrDefault("replicas").Value is { } replicas) spec.With("replicas", replicas);
        if (f.GetValueOrDefault("resources").Value is { } resources) spec.With("resources", Resources(resources, FieldPath.Field(path, "resources"), t));
        if (f.GetValueOrDefault("update_config").Value is { } update) spec.With("updateStrategy", Update(update, FieldPath.Field(path, "update_config"), t));
        if (f.GetValueOrDefault("placement").Value is { } placement) spec.With("placement", Placement(placement, FieldPath.Field(path, "placement"), t));
        if (f.GetValueOrDefault("restart_policy").Value is { } restart && Restart(restart, FieldPath.Field(path, "restart_policy"), t) is { } policy)
            spec.Children[new YamlScalarNode("restartPolicy")] = policy;
        if (f.GetValueOrDefault("labels").Value is { } more) labels = Labels(more, FieldPath.Field(path, "labels"), labels, t);
        return labels;
    }

    /// <summary>deploy.labels as a map, or as a list of "KEY=value", added to the service's labels.</summary>
    private static YamlMappingNode? Labels(YamlNode node, string path, YamlMappingNode? labels, Translator t)
    {
        if (node is YamlSequenceNode list)
        {
            labels ??= t.Map(node);
            for (var i = 0; i < list.Children.Count; i++)
                if (t.Reader.Text(list.Children[i], FieldPath.Index(path, i)) is { } text)
                {
                    var equals = text.IndexOf('=');
                    labels.Children[t.Text(equals < 0 ? text : text[..equals], list.Children[i])] = t.Text(equals < 0 ? "" : text[(equals + 1)..], list.Children[i]);
                }
            return labels;
        }
        if (t.Reader.Map(node, path, "label keys to values, or a list of KEY=value") is not { } map) return labels;
        labels ??= t.Map(node);
        foreach (var (key, value) in map.Children) labels.Children[key] = value;
        return labels;
    }

    /// <summary>Our one value is both the request and the limit: the limit when given (what the engine enforces), else the reservation.</summary>
    private static YamlNode? Resources(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, ResourceKeys) is not { } f) return null;
        var ours = t.Map(node);
        foreach (var part in new[] { "reservations", "limits" })
        {
            if (f.GetValueOrDefault(part).Value is not { } value || t.Keys(value, FieldPath.Field(path, part), LimitKeys) is not { } values) continue;
            if (values.GetValueOrDefault("cpus").Value is { } cpus) ours.Children[new YamlScalarNode("cpu")] = cpus;
            if (values.GetValueOrDefault("memory").Value is { } memory) ours.Children[new YamlScalarNode("memory")] = Memory(memory, FieldPath.Field(path, $"{part}.memory"), t) ?? memory;
            if (values.GetValueOrDefault("pids").Value is { } pids) ours.Children[new YamlScalarNode("pids")] = pids;
        }
        return ours;
    }

    /// <summary>Compose's byte units (b, k, m, g, with or without a trailing b, powers of 1024) as ours (Ki, Mi, Gi).</summary>
    private static YamlNode? Memory(YamlNode node, string path, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return null;
        var match = ComposeBytes().Match(text);
        if (!match.Success) return node;
        var unit = match.Groups[2].Value.ToLowerInvariant().TrimEnd('b') switch { "k" => "Ki", "m" => "Mi", "g" => "Gi", _ => "" };
        return t.Text(match.Groups[1].Value + unit, node);
    }

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)\\s*([bBkKmMgG][bB]?)?$")]
    private static partial Regex ComposeBytes();

    /// <summary>parallelism replicas at a time: with start-first that many extra start first, with stop-first (Swarm's default) that many stop first; 0 = all.</summary>
    private static YamlNode? Update(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, UpdateKeys) is not { } f) return null;
        var ours = t.Map(node);
        var startFirst = f.GetValueOrDefault("order").Value is { } order && t.Reader.Word(order, FieldPath.Field(path, "order"), ["start-first", "stop-first"]) == "start-first";
        ours.With("order", t.Text(startFirst ? "start-first" : "stop-first", f.GetValueOrDefault("order").Value ?? node));
        if (f.GetValueOrDefault("parallelism").Value is { } parallelism)
        {
            YamlNode amount = parallelism is YamlScalarNode { Value: "0" } ? t.Text("100%", parallelism) : parallelism;
            ours.With(startFirst ? "maxSurge" : "maxUnavailable", amount).With(startFirst ? "maxUnavailable" : "maxSurge", t.Number(0, parallelism));
        }
        else ours.With(startFirst ? "maxSurge" : "maxUnavailable", t.Number(1, node)).With(startFirst ? "maxUnavailable" : "maxSurge", t.Number(0, node));
        if (f.GetValueOrDefault("failure_action").Value is { } action)
        {
            if (t.Reader.Word(action, FieldPath.Field(path, "failure_action"), ["rollback", "pause", "continue"]) is "rollback" or "pause") ours.With("onFailure", action);
            else t.Unsupported(action, FieldPath.Field(path, "failure_action"), "continue is not supported: a failed rollout is rolled back or paused");
        }
        // A new replica is counted available only after it stayed ready this long: Swarm's wait between batches
        // (delay) and its watch for an early failure (monitor) both; the longer wins.
        var waits = new[] { "delay", "monitor" }
            .Where(w => f.ContainsKey(w))
            .Select(w => t.Seconds(f[w].Value, FieldPath.Field(path, w)))
            .OfType<YamlScalarNode>()
            .MaxBy(s => long.Parse(s.Value!, System.Globalization.CultureInfo.InvariantCulture));
        if (waits is not null) ours.With("minReadySeconds", waits);
        return ours;
    }

    private static YamlNode? Placement(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, PlacementKeys) is not { } f) return null;
        var ours = t.Map(node);
        if (f.GetValueOrDefault("max_replicas_per_node").Value is { } max) ours.With("maxPerNode", max);
        if (f.GetValueOrDefault("constraints").Value is { } constraints && t.Reader.List(constraints, FieldPath.Field(path, "constraints"), "constraints like \"node.labels.zone == a\"") is { } list)
        {
            var ourConstraints = t.List(constraints);
            for (var i = 0; i < list.Children.Count; i++)
                if (Constraint(list.Children[i], FieldPath.Index(FieldPath.Field(path, "constraints"), i), t) is { } c) ourConstraints.Add(c);
            ours.With("constraints", ourConstraints);
        }
        return ours;
    }

    /// <summary>"node.labels.KEY == VALUE" (or !=) and "node.hostname == NAME"; Swarm's other node attributes have no equivalent.</summary>
    private static YamlNode? Constraint(YamlNode node, string path, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return null;
        var match = SwarmConstraint().Match(text);
        if (!match.Success)
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: only \"node.labels.KEY == VALUE\", \"node.hostname == NAME\" and their != forms are supported");
            return null;
        }
        var key = match.Groups[1].Value == "node.hostname" ? "node.name" : match.Groups[2].Value;
        return t.Map(node)
            .With("key", t.Text(key, node))
            .With("operator", t.Text(match.Groups[3].Value == "==" ? "In" : "NotIn", node))
            .With("values", t.List(node).Tap(l => l.Add(t.Text(match.Groups[4].Value.Trim(), node))));
    }

    [GeneratedRegex(@"^\s*(node\.hostname|node\.labels\.(\S+?))\s*(==|!=)\s*(\S.*?)\s*$")]
    private static partial Regex SwarmConstraint();

    /// <summary>condition none | on-failure | any as never | on-failure | always; delay; max_attempts.</summary>
    private static YamlNode? Restart(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, RestartKeys) is not { } f) return null;
        var ours = t.Map(node);
        if (f.GetValueOrDefault("condition").Value is { } condition
            && t.Reader.Word(condition, FieldPath.Field(path, "condition"), ["none", "on-failure", "any"]) is { } word)
            ours.With("condition", t.Text(word switch { "none" => "never", "any" => "always", _ => word }, condition));
        if (f.GetValueOrDefault("delay").Value is { } delay) ours.With("delay", delay);
        if (f.GetValueOrDefault("max_attempts").Value is { } attempts) ours.With("maxAttempts", attempts);
        return ours;
    }
}

internal static class NodeExtensions
{
    public static T Tap<T>(this T node, Action<T> action)
    {
        action(node);
        return node;
    }
}
