using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>An apps/v1 Deployment read into our Service's nodes: one container, its pod template's labels and placement.</summary>
internal sealed class KubernetesDeployment
{
    public static readonly KeyTable TopLevel = KeyTable.Of("kubernetes apps/v1 Deployment", mapped: ["apiVersion", "kind", "metadata", "spec"]);
    public static readonly KeyTable SpecKeys = KeyTable.Of("kubernetes Deployment spec",
        mapped: ["replicas", "selector", "template", "strategy", "minReadySeconds", "progressDeadlineSeconds"], ignored: ["revisionHistoryLimit"]);
    public static readonly KeyTable SelectorKeys = KeyTable.Of("kubernetes Deployment spec.selector", mapped: ["matchLabels"]);
    public static readonly KeyTable TemplateKeys = KeyTable.Of("kubernetes Deployment spec.template", mapped: ["metadata", "spec"]);
    public static readonly KeyTable TemplateMetadataKeys = KeyTable.Of("kubernetes Deployment spec.template.metadata", mapped: ["labels"], ignored: ["annotations"]);
    public static readonly KeyTable PodKeys = KeyTable.Of("kubernetes Deployment spec.template.spec",
        mapped: ["containers", "volumes", "nodeSelector", "tolerations", "terminationGracePeriodSeconds", "hostname"],
        // A Deployment's pods may only restart Always, which is our default.
        ignored: ["restartPolicy"],
        refused: new()
        {
            ["hostNetwork"] = "the host's network namespace is refused: publish ports with ports[].hostPort instead",
            ["hostPID"] = "the host's PID namespace is refused: a container sees only its own processes",
            ["hostIPC"] = "the host's IPC namespace is refused",
        });
    public static readonly KeyTable ContainerKeys = KeyTable.Of("kubernetes Deployment containers[]",
        mapped: ["image", "command", "args", "env", "ports", "resources", "livenessProbe", "readinessProbe", "securityContext", "volumeMounts"],
        // The container's name: ours is the service's. Images are pulled when missing, whatever the policy says.
        ignored: ["name", "imagePullPolicy"]);
    public static readonly KeyTable ResourceKeys = KeyTable.Of("kubernetes Deployment containers[].resources", mapped: ["limits", "requests"]);
    public static readonly KeyTable QuantityKeys = KeyTable.Of("kubernetes Deployment containers[].resources.limits and .requests", mapped: ["cpu", "memory"]);
    public static readonly KeyTable StrategyKeys = KeyTable.Of("kubernetes Deployment spec.strategy", mapped: ["type", "rollingUpdate"]);
    public static readonly KeyTable RollingUpdateKeys = KeyTable.Of("kubernetes Deployment spec.strategy.rollingUpdate", mapped: ["maxSurge", "maxUnavailable"]);

    private const string ContainersPath = "spec.template.spec.containers";

    public required YamlMappingNode Root { get; init; }
    public required YamlMappingNode Metadata { get; init; }
    public required YamlMappingNode Spec { get; init; }
    public required Dictionary<string, string> PodLabels { get; init; }
    public string Namespace => Metadata.Children.TryGetValue(new YamlScalarNode("namespace"), out var ns) && ns is YamlScalarNode { Value: { } text } ? text : ObjectKinds.DefaultNamespace;
    public bool Joined { get; set; }

    public YamlSequenceNode Ports(Translator t)
    {
        if (Spec.Children.TryGetValue(new YamlScalarNode("ports"), out var ports) && ports is YamlSequenceNode list) return list;
        var made = t.List(Root);
        Spec.Children[new YamlScalarNode("ports")] = made;
        return made;
    }

    public YamlNode Document(Translator t) => KubernetesManifests.Envelope(ObjectKinds.Service, Root, Metadata, t).With("spec", Spec);

    public static KubernetesDeployment? Read(YamlMappingNode root, Translator t)
    {
        if (t.Keys(root, "", TopLevel) is not { } top || KubernetesManifests.ReadMetadata(root, t) is not { } metadata) return null;
        if (top.GetValueOrDefault("spec").Value is not { } specNode || t.Keys(specNode, "spec", SpecKeys) is not { } spec)
        {
            if (!top.ContainsKey("spec")) t.Reader.Error(root, "spec", "required: a mapping with at least template");
            return null;
        }
        var ours = t.Map(specNode);
        if (spec.GetValueOrDefault("replicas").Value is { } replicas) ours.With("replicas", replicas);
        var podLabels = new Dictionary<string, string>();
        var labels = t.Map(metadata);
        if (spec.GetValueOrDefault("template").Value is not { } template || t.Keys(template, "spec.template", TemplateKeys) is not { } tf)
        {
            t.Reader.Error(specNode, "spec.template", "required: the pod template, with metadata.labels and spec.containers");
            return null;
        }
        if (tf.GetValueOrDefault("metadata").Value is { } tm && t.Keys(tm, "spec.template.metadata", TemplateMetadataKeys) is { } tmf
            && tmf.GetValueOrDefault("labels").Value is YamlMappingNode templateLabels)
            foreach (var (key, value) in templateLabels.Children)
            {
                labels.Children[key] = value;
                if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: var v }) podLabels[k] = v ?? "";
            }
        if (metadata.Children.TryGetValue(new YamlScalarNode("labels"), out var own) && own is YamlMappingNode ownLabels)
            foreach (var (key, value) in ownLabels.Children)
                if (!labels.Children.ContainsKey(key)) labels.Children[key] = value;
        if (labels.Children.Count > 0) metadata.Children[new YamlScalarNode("labels")] = labels;
        if (spec.GetValueOrDefault("selector").Value is { } selector) Selector(selector, podLabels, t);
        else t.Reader.Error(specNode, "spec.selector", "required: matchLabels that the pod template's labels carry");
        if (tf.GetValueOrDefault("spec").Value is { } pod) Pod(pod, ours, t);
        else t.Reader.Error(template, "spec.template.spec", "required: a mapping with containers");
        Update(spec, specNode, ours, t);
        return new KubernetesDeployment { Root = root, Metadata = metadata, Spec = ours, PodLabels = podLabels };
    }

    private static void Selector(YamlNode selector, Dictionary<string, string> podLabels, Translator t)
    {
        if (t.Keys(selector, "spec.selector", SelectorKeys) is not { } f) return;
        if (f.GetValueOrDefault("matchLabels").Value is not YamlMappingNode match)
        {
            t.Reader.Error(selector, "spec.selector.matchLabels", "required: a mapping of labels that the pod template's labels carry");
            return;
        }
        foreach (var (key, value) in match.Children)
            if (key is YamlScalarNode { Value: { } k } && (value as YamlScalarNode)?.Value is var v && podLabels.GetValueOrDefault(k) != (v ?? ""))
                t.Reader.Error(key, $"spec.selector.matchLabels.{k}", "the pod template's labels must carry every label of the selector (spec.template.metadata.labels)");
    }

    private static void Pod(YamlNode pod, YamlMappingNode ours, Translator t)
    {
        const string path = "spec.template.spec";
        if (t.Keys(pod, path, PodKeys) is not { } f) return;
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        if (f.GetValueOrDefault("volumes").Value is { } volumes) ours.With("volumes", KubernetesVolumes.Volumes(volumes, $"{path}.volumes", dropped, t));
        if (f.GetValueOrDefault("containers").Value is not YamlSequenceNode { Children.Count: > 0 } containers)
            t.Reader.Error(f.GetValueOrDefault("containers").Key ?? pod, ContainersPath, "required: a list with one container");
        else
        {
            if (containers.Children.Count > 1)
                t.Unsupported(containers.Children[1], FieldPath.Index(ContainersPath, 1), "one container per service: the others are not run");
            Container(containers.Children[0], ours, dropped, t);
        }
        if (f.GetValueOrDefault("terminationGracePeriodSeconds").Value is YamlScalarNode grace && YamlScalars.TryGetInteger(grace, out var seconds))
            ours.With("stopGracePeriod", t.Text($"{seconds}s", grace));
        else if (f.GetValueOrDefault("terminationGracePeriodSeconds").Value is { } bad)
            t.Reader.Error(bad, $"{path}.terminationGracePeriodSeconds", $"must be a whole number of seconds, got {YamlScalars.Describe(bad)}");
        if (f.GetValueOrDefault("hostname").Value is { } hostname) ours.With("hostname", hostname);
        var nodeSelector = f.GetValueOrDefault("nodeSelector").Value;
        var tolerations = f.GetValueOrDefault("tolerations").Value;
        if (nodeSelector is not null || tolerations is not null)
            ours.With("placement", t.Map(pod).With("nodeSelector", nodeSelector).With("tolerations", tolerations));
    }

    private static void Container(YamlNode container, YamlMappingNode ours, HashSet<string> dropped, Translator t)
    {
        var path = FieldPath.Index(ContainersPath, 0);
        if (t.Keys(container, path, ContainerKeys) is not { } f) return;
        if (f.GetValueOrDefault("image").Value is { } image) ours.Children.Insert(0, new YamlScalarNode("image"), image);
        else t.Reader.Error(container, FieldPath.Field(path, "image"), "required: the image to run");
        foreach (var same in new[] { "command", "args", "ports", "livenessProbe", "readinessProbe", "securityContext" })
            if (f.GetValueOrDefault(same).Value is { } value) ours.With(same, value);
        if (f.GetValueOrDefault("env").Value is { } env) ours.With("env", KubernetesVolumes.Env(env, FieldPath.Field(path, "env"), t));
        if (f.GetValueOrDefault("volumeMounts").Value is { } mounts) ours.With("volumeMounts", KubernetesVolumes.Mounts(mounts, FieldPath.Field(path, "volumeMounts"), dropped, t));
        if (f.GetValueOrDefault("resources").Value is { } resources) ours.With("resources", Resources(resources, FieldPath.Field(path, "resources"), t));
    }

    /// <summary>Our one value is both the request and the limit: the limit when given (what the engine enforces), else the request.</summary>
    private static YamlNode? Resources(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, ResourceKeys) is not { } f) return null;
        var ours = t.Map(node);
        foreach (var part in new[] { "requests", "limits" })
            if (f.GetValueOrDefault(part).Value is { } value && t.Keys(value, FieldPath.Field(path, part), QuantityKeys) is { } q)
                foreach (var (name, (_, quantity)) in q) ours.Children[new YamlScalarNode(name)] = quantity;
        return ours;
    }

    /// <summary>RollingUpdate's maxSurge and maxUnavailable as they are; Recreate stops all first; minReadySeconds and progressDeadlineSeconds.</summary>
    private static void Update(Dictionary<string, (YamlNode Key, YamlNode Value)> spec, YamlNode specNode, YamlMappingNode ours, Translator t)
    {
        var update = t.Map(specNode);
        if (spec.GetValueOrDefault("strategy").Value is { } strategy && t.Keys(strategy, "spec.strategy", StrategyKeys) is { } s)
        {
            if (s.GetValueOrDefault("type").Value is { } type && t.Reader.Word(type, "spec.strategy.type", ["RollingUpdate", "Recreate"]) == "Recreate")
                update.With("maxSurge", t.Number(0, type)).With("maxUnavailable", t.Text("100%", type)).With("order", t.Text("stop-first", type));
            if (s.GetValueOrDefault("rollingUpdate").Value is { } rolling && t.Keys(rolling, "spec.strategy.rollingUpdate", RollingUpdateKeys) is { } r)
                foreach (var (name, (_, value)) in r) update.Children[new YamlScalarNode(name)] = value;
        }
        if (spec.GetValueOrDefault("minReadySeconds").Value is { } min) update.With("minReadySeconds", min);
        if (spec.GetValueOrDefault("progressDeadlineSeconds").Value is YamlScalarNode deadline && YamlScalars.TryGetInteger(deadline, out var seconds))
            update.With("progressDeadline", t.Text($"{seconds}s", deadline));
        else if (spec.GetValueOrDefault("progressDeadlineSeconds").Value is { } bad)
            t.Reader.Error(bad, "spec.progressDeadlineSeconds", $"must be a whole number of seconds, got {YamlScalars.Describe(bad)}");
        if (update.Children.Count > 0) ours.With("updateStrategy", update);
    }
}
