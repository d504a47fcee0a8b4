using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A v1 Service joined to the Deployment it selects: the pair is one of our Services, named as the Service. Its
/// target ports become the container's ports. A node port needs publishedPort (issue 14), which our manifest does not
/// have yet; so does a port other than its target, which needs the service's virtual IP.
/// </summary>
internal static class KubernetesService
{
    public const string NeedsPublishedPort = "NodePort needs publishedPort, a port open on every node (issue 14), which is not supported yet; use type ClusterIP";

    public static readonly KeyTable Keys = KeyTable.Of("kubernetes v1 Service", mapped: ["apiVersion", "kind", "metadata", "spec"]);
    public static readonly KeyTable SpecKeys = KeyTable.Of("kubernetes Service spec", mapped: ["type", "selector", "ports"]);
    public static readonly KeyTable PortKeys = KeyTable.Of("kubernetes Service spec.ports[]", mapped: ["port", "targetPort", "protocol", "name"],
        refused: new() { ["nodePort"] = NeedsPublishedPort });

    public static void Join(YamlNode root, Dictionary<string, (YamlNode Key, YamlNode Value)> fields, List<KubernetesDeployment> deployments, Translator t)
    {
        if (KubernetesManifests.ReadMetadata((YamlMappingNode)root, t) is not { } metadata) return;
        if (fields.GetValueOrDefault("spec").Value is not { } specNode || t.Keys(specNode, "spec", SpecKeys) is not { } spec)
        {
            if (!fields.ContainsKey("spec")) t.Reader.Error(root, "spec", "required: a mapping with selector and ports");
            return;
        }
        if (spec.GetValueOrDefault("type").Value is { } type && t.Reader.Word(type, "spec.type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]) is { } word && word != "ClusterIP")
        {
            t.Refuse(type, "spec.type", word == "NodePort" ? NeedsPublishedPort : $"{word} is not supported; use type ClusterIP");
            return;
        }
        if (spec.GetValueOrDefault("selector").Value is not YamlMappingNode selector || selector.Children.Count == 0)
        {
            t.Unsupported(spec.GetValueOrDefault("selector").Key ?? specNode, "spec.selector", "a Service without a selector is not supported: it joins the Deployment whose pods it selects");
            return;
        }
        var wanted = selector.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => (c.Value as YamlScalarNode)?.Value ?? "");
        var ns = metadata.Children.TryGetValue(new YamlScalarNode("namespace"), out var n) && n is YamlScalarNode { Value: { } text } ? text : ObjectKinds.DefaultNamespace;
        var deployment = deployments.FirstOrDefault(d => d.Namespace == ns && wanted.All(w => d.PodLabels.GetValueOrDefault(w.Key) == w.Value));
        if (deployment is null)
        {
            t.Reader.Error(selector, "spec.selector", "selects no Deployment of this file: a v1 Service is applied with the Deployment whose pod labels it selects, in the same file");
            return;
        }
        if (deployment.Joined)
        {
            t.Unsupported(selector, "spec.selector", "a second Service for the same Deployment is not supported");
            return;
        }
        deployment.Joined = true;
        if (metadata.Children.TryGetValue(new YamlScalarNode("name"), out var name)) deployment.Metadata.Children[new YamlScalarNode("name")] = name;
        if (spec.GetValueOrDefault("ports").Value is { } ports && t.Reader.List(ports, "spec.ports", "ports, like [{port: 80}]") is { } list)
            for (var i = 0; i < list.Children.Count; i++)
                Port(list.Children[i], FieldPath.Index("spec.ports", i), deployment, t);
    }

    private static void Port(YamlNode node, string path, KubernetesDeployment deployment, Translator t)
    {
        if (t.Keys(node, path, PortKeys) is not { } f) return;
        var port = f.GetValueOrDefault("port").Value as YamlScalarNode;
        var target = f.GetValueOrDefault("targetPort").Value as YamlScalarNode ?? port;
        if (target is null)
        {
            t.Reader.Error(node, FieldPath.Field(path, "port"), "required: the port number, 1 to 65535");
            return;
        }
        var containerPorts = deployment.Ports(t);
        if (!YamlScalars.TryGetInteger(target, out var number))
        {
            // A named target port is the container port of that name.
            if (!containerPorts.Children.Any(p => p is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var pn) && (pn as YamlScalarNode)?.Value == target.Value))
                t.Reader.Error(target, FieldPath.Field(path, "targetPort"), $"no container port is named {YamlScalars.Quote(target.Value ?? "")}");
            return;
        }
        if (port is not null && port != target && YamlScalars.TryGetInteger(port, out var p) && p != number)
            t.Unsupported(port, FieldPath.Field(path, "port"), $"port {p} differs from targetPort {number}: that needs the service's virtual IP (issue 14); write port equal to targetPort");
        var declared = containerPorts.Children.Any(c => c is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("containerPort"), out var cp)
            && cp is YamlScalarNode s && YamlScalars.TryGetInteger(s, out var v) && v == number);
        if (declared) return;
        containerPorts.Add(t.Map(node).With("containerPort", target)
            .With("protocol", f.GetValueOrDefault("protocol").Value)
            .With("name", f.GetValueOrDefault("name").Value));
    }
}
