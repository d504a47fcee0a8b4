using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Compose ports: "8080" and "8080/udp" (and the long form's target) are container ports. A published port needs a
/// port open on every node (publishedPort, issue 14), which our manifest does not have yet, so it is refused; the long
/// form's mode: host (a port on the replica's own node, Swarm's host mode) is our hostPort.
/// </summary>
internal static class ComposePorts
{
    public const string NeedsPublishedPort = "published ports are not supported yet: they need publishedPort, a port open on every node (issue 14); " +
        "leave out the published part (\"8080\"), or use the long form with mode: host for a port on the replica's node";

    public static readonly KeyTable LongForm = KeyTable.Of("compose services.*.ports[]",
        mapped: ["target", "published", "protocol", "mode", "name"]);

    public static YamlNode? Translate(YamlNode node, string path, Translator t)
    {
        if (t.Reader.List(node, path, "ports, like [\"8080\"]") is not { } list) return null;
        var ports = t.List(node);
        for (var i = 0; i < list.Children.Count; i++)
            if ((list.Children[i] is YamlMappingNode ? Long(list.Children[i], FieldPath.Index(path, i), t) : Short(list.Children[i], FieldPath.Index(path, i), t)) is { } port)
                ports.Add(port);
        return ports;
    }

    private static YamlNode? Short(YamlNode node, string path, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return null;
        var slash = text.IndexOf('/');
        var target = slash < 0 ? text : text[..slash];
        if (target.Contains(':'))
        {
            t.Refuse(node, path, $"{YamlScalars.Quote(text)}: {NeedsPublishedPort}");
            return null;
        }
        if (!long.TryParse(target, out var number))
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: only one container port, like \"8080\" or \"8080/udp\" (no ranges)");
            return null;
        }
        var port = t.Map(node).With("containerPort", t.Number(number, node));
        if (slash >= 0) port.With("protocol", t.Text(text[(slash + 1)..], node));
        return port;
    }

    private static YamlNode? Long(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, LongForm) is not { } f) return null;
        var port = t.Map(node);
        if (f.GetValueOrDefault("target").Value is { } target) port.With("containerPort", target);
        else t.Reader.Error(node, FieldPath.Field(path, "target"), "required: the container port, 1 to 65535");
        if (f.GetValueOrDefault("protocol").Value is { } protocol) port.With("protocol", protocol);
        if (f.GetValueOrDefault("name").Value is { } name) port.With("name", name);
        var hostMode = f.GetValueOrDefault("mode").Value is { } mode && t.Reader.Word(mode, FieldPath.Field(path, "mode"), ["ingress", "host"]) == "host";
        if (f.GetValueOrDefault("published") is { Value: { } published, Key: var key })
        {
            if (hostMode) port.With("hostPort", published);
            else t.Refuse(key, FieldPath.Field(path, "published"), NeedsPublishedPort);
        }
        return port;
    }
}
