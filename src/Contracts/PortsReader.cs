using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.ports, applies the default protocol and refuses ports that would collide in one container or on one node.</summary>
internal static class PortsReader
{
    private const long MinPort = 1;
    private const long MaxPort = 65535;
    private static readonly string[] Fields = ["containerPort", "hostPort", "protocol", "name", "publishedPort"];
    private static readonly string[] Protocols = ["tcp", "udp"];

    public static List<PortSpec> Read(YamlNode node, string path, ManifestReader r)
    {
        var ports = new List<PortSpec>();
        if (r.List(node, path, "ports, like [{containerPort: 8080}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxPorts, "ports")) return ports;
        // "containerPort 8080/tcp" -> the path of the port that claimed it first.
        var claims = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, Fields) is not { } f) continue;
            var containerPort = r.Required(f, "containerPort", $"a port number from {MinPort} to {MaxPort}") is { } c
                ? r.WholeNumber(c, f.PathOf("containerPort"), MinPort, MaxPort)
                : null;
            var hostPort = f["hostPort"] is { } h ? r.WholeNumber(h, f.PathOf("hostPort"), MinPort, MaxPort) : null;
            var protocol = f["protocol"] is { } p ? Protocol(p, f.PathOf("protocol"), r) : "tcp";
            var name = f["name"] is { } n ? r.Text(n, f.PathOf("name"), TextRule.Dns1123Label) : null;
            var published = f["publishedPort"] is { } pp
                ? r.WholeNumber(pp, f.PathOf("publishedPort"), ManifestLimits.MinPublishedPort, ManifestLimits.MaxPublishedPort)
                : null;
            if (containerPort is null || protocol is null) continue;
            if (published is not null)
            {
                Claim(claims, $"publishedPort {published}/{protocol}", f, "publishedPort", itemPath, r);
                r.PublishedPorts.Add(new PublishedPortClaim("", "", (int)published, protocol, r.At(f["publishedPort"]!, f.PathOf("publishedPort"))));
            }
            Claim(claims, $"containerPort {containerPort}/{protocol}", f, "containerPort", itemPath, r);
            if (hostPort is not null) Claim(claims, $"hostPort {hostPort}/{protocol}", f, "hostPort", itemPath, r);
            if (name is not null) Claim(claims, $"name {YamlScalars.Quote(name)}", f, "name", itemPath, r);
            ports.Add(new PortSpec { ContainerPort = (int)containerPort, HostPort = (int?)hostPort, Protocol = protocol, Name = name, PublishedPort = (int?)published });
        }
        return ports;
    }

    private static void Claim(Dictionary<string, string> claims, string claim, FieldSet f, string field, string itemPath, ManifestReader r)
    {
        if (claims.TryAdd(claim, itemPath)) return;
        r.Error(f[field]!, f.PathOf(field), $"{claim} is already used by {claims[claim]}");
    }

    /// <summary>tcp or udp; Kubernetes' upper-case TCP and UDP are accepted so that copied manifests work.</summary>
    private static string? Protocol(YamlNode node, string path, ManifestReader r)
    {
        if (r.Text(node, path) is not { } text) return null;
        var protocol = text.ToLowerInvariant();
        if (Protocols.Contains(protocol)) return protocol;
        r.Error(node, path, $"must be tcp or udp, got {YamlScalars.Quote(text)}");
        return null;
    }

}
