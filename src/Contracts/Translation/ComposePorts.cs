using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Compose ports: "8080" and "8080/udp" (and the long form's target) are container ports. A published port
/// ("30080:8080", or published: in the long form) is our publishedPort, open on every node as Swarm's routing mesh
/// is, and so in its range (30000 to 32767); the long form's mode: host (a port on the replica's own node, Swarm's
/// host mode) is our hostPort.
/// </summary>
internal static class ComposePorts
{
    private static readonly string Range = $"{ManifestLimits.MinPublishedPort} to {ManifestLimits.MaxPublishedPort}";

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
        var parts = (slash < 0 ? text : text[..slash]).Split(':');
        if (parts.Length > 2)
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: a host address is not supported: a published port is open on every address of every node; write \"30080:8080\"");
            return null;
        }
        if (!long.TryParse(parts[^1], out var number))
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: only one container port, like \"8080\", \"8080/udp\" or \"30080:8080\" (no ranges)");
            return null;
        }
        var port = t.Map(node).With("containerPort", t.Number(number, node));
        if (slash >= 0) port.With("protocol", t.Text(text[(slash + 1)..], node));
        if (parts.Length == 2) port.With("publishedPort", Published(parts[0], node, path, t));
        return port;
    }

    /// <summary>A published port in the range every node keeps for them; an error naming the range otherwise.</summary>
    private static YamlNode? Published(string text, YamlNode node, string path, Translator t)
    {
        if (int.TryParse(text, out var number) && number >= ManifestLimits.MinPublishedPort && number <= ManifestLimits.MaxPublishedPort)
            return t.Number(number, node);
        t.Reader.Error(node, path, $"published port {YamlScalars.Quote(text)} must be {Range}: it is opened on every node (publishedPort, docs/networking.md), " +
            "in the range Kubernetes keeps for node ports; leave it out for a port reached by the service's name only");
        return null;
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
        if (f.GetValueOrDefault("published").Value is { } published)
        {
            if (hostMode) port.With("hostPort", published);
            else if (t.Reader.Text(published, FieldPath.Field(path, "published")) is { } text) port.With("publishedPort", Published(text, published, FieldPath.Field(path, "published"), t));
        }
        return port;
    }
}
