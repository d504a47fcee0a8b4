using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A v1 Service joined to the Deployment it selects: the pair is one of our Services, named as the Service. Its
/// target ports become the container's ports. Type NodePort: each port's nodePort is that container port's
/// publishedPort, open on every node; the cluster picks none, so a NodePort without one is an error. A port other than
/// its target is unsupported: our virtual IP serves the container port.
/// </summary>
internal static class KubernetesService
{

    public static readonly KeyTable Keys = KeyTable.Of("kubernetes v1 Service", mapped: ["apiVersion", "kind", "metadata", "spec"]);
    public static readonly KeyTable SpecKeys = KeyTable.Of("kubernetes Service spec", mapped: ["type", "selector", "ports"]);
    public static readonly KeyTable PortKeys = KeyTable.Of("kubernetes Service spec.ports[]", mapped: ["port", "targetPort", "protocol", "name", "nodePort"]);

    public static void Join(YamlNode root, Dictionary<string, (YamlNode Key, YamlNode Value)> fields, List<KubernetesDeployment> deployments, Translator t)
    {
        if (KubernetesManifests.ReadMetadata((YamlMappingNode)root, t) is not { } metadata) return;
        if (fields.GetValueOrDefault("spec").Value is not { } specNode || t.Keys(specNode, "spec", SpecKeys) is not { } spec)
        {
            if (!fields.ContainsKey("spec")) t.Reader.Error(root, "spec", "required: a mapping with selector and ports");
            return;
        }
        if (spec.GetValueOrDefault("type").Value is { } type && t.Reader.Word(type, "spec.type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]) is { } word && word is not ("ClusterIP" or "NodePort"))
        {
            t.Refuse(type, "spec.type", $"{word} is not supported; use type ClusterIP, or NodePort for a port open on every node");
            return;
        }
        var nodePorts = spec.GetValueOrDefault("type").Value is YamlScalarNode { Value: "NodePort" };
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
                Port(list.Children[i], FieldPath.Index("spec.ports", i), deployment, nodePorts, t);
    }

    private static void Port(YamlNode node, string path, KubernetesDeployment deployment, bool nodePorts, Translator t)
    {
        if (t.Keys(node, path, PortKeys) is not { } f) return;
        var nodePort = f.GetValueOrDefault("nodePort").Value;
        if (nodePort is not null && !nodePorts)
        {
            t.Reader.Error(f["nodePort"].Key, FieldPath.Field(path, "nodePort"), "only with spec.type NodePort (as Kubernetes says)");
            nodePort = null;
        }
        else if (nodePort is null && nodePorts)
        {
            t.Reader.Error(node, FieldPath.Field(path, "nodePort"),
                $"required with type NodePort: the port to open on every node, {ManifestLimits.MinPublishedPort} to {ManifestLimits.MaxPublishedPort} (the cluster does not pick one)");
            return;
        }
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
            var named = containerPorts.Children.OfType<YamlMappingNode>()
                .FirstOrDefault(m => m.Children.TryGetValue(new YamlScalarNode("name"), out var pn) && (pn as YamlScalarNode)?.Value == target.Value);
            if (named is null) t.Reader.Error(target, FieldPath.Field(path, "targetPort"), $"no container port is named {YamlScalars.Quote(target.Value ?? "")}");
            else Publish(named, nodePort);
            return;
        }
        if (port is not null && port != target && YamlScalars.TryGetInteger(port, out var p) && p != number)
            t.Unsupported(port, FieldPath.Field(path, "port"), $"port {p} differs from targetPort {number}: our virtual IP serves the container port itself; write port equal to targetPort");
        var declared = containerPorts.Children.OfType<YamlMappingNode>().FirstOrDefault(m => m.Children.TryGetValue(new YamlScalarNode("containerPort"), out var cp)
            && cp is YamlScalarNode s && YamlScalars.TryGetInteger(s, out var v) && v == number);
        if (declared is not null)
        {
            Publish(declared, nodePort);
            return;
        }
        containerPorts.Add(t.Map(node).With("containerPort", target)
            .With("protocol", f.GetValueOrDefault("protocol").Value)
            .With("name", f.GetValueOrDefault("name").Value)
            .With("publishedPort", nodePort));
    }

    /// <summary>The node port on the container port it serves; our reader checks its range and that no other service holds it.</summary>
    private static void Publish(YamlMappingNode containerPort, YamlNode? nodePort)
    {
        if (nodePort is not null) containerPort.Children[new YamlScalarNode("publishedPort")] = nodePort;
    }
}
