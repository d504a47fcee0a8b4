using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>One entry of a Compose file's services, as our Service (docs/compat.md has the table).</summary>
internal static class ComposeService
{
    public const string ProjectLabel = "com.docker.compose.project";

    public static readonly KeyTable Keys = KeyTable.Of("compose services.*",
        mapped: ["image", "command", "entrypoint", "environment", "ports", "deploy", "healthcheck", "restart", "hostname", "stop_grace_period", "stop_signal",
            "volumes", "secrets", "configs", .. ComposeSecurity.Keys],
        // depends_on: every service starts at once and is restarted until what it needs answers; networks: every
        // service is on the one cluster network.
        ignored: ["depends_on", "networks"],
        refused: new()
        {
            ["privileged"] = "privileged containers are refused: they can take over the node",
            ["network_mode"] = "network_mode is refused: every service is on the cluster network, and the host's network would hand it the node",
            ["build"] = "build is refused: the orchestrator runs images; build and push the image, then name it under image",
            ["pid"] = "the host's PID namespace is refused: a container sees only its own processes",
            ["ipc"] = "the host's IPC namespace is refused",
        });

    public static YamlNode? Translate(string name, YamlNode key, YamlNode value, ComposeProject project, Translator t)
    {
        var path = FieldPath.Field("services", name);
        if (t.Keys(value, path, Keys) is not { } f) return null;
        var spec = t.Map(value);
        YamlMappingNode? labels = null;
        if (project.Name is { } projectName) labels = t.Map(projectName).With(ProjectLabel, projectName);
        if (f.GetValueOrDefault("image").Value is { } image) spec.With("image", image);
        else
        {
            t.Reader.Error(value, FieldPath.Field(path, "image"), "required: the image to run (build is refused)");
            return null;
        }
        if (f.GetValueOrDefault("entrypoint").Value is { } entrypoint) spec.With("command", Words(entrypoint, FieldPath.Field(path, "entrypoint"), t));
        if (f.GetValueOrDefault("command").Value is { } command) spec.With("args", Words(command, FieldPath.Field(path, "command"), t));
        if (f.GetValueOrDefault("environment").Value is { } environment) spec.With("env", Environment(environment, FieldPath.Field(path, "environment"), t));
        if (f.GetValueOrDefault("ports").Value is { } ports) spec.With("ports", ComposePorts.Translate(ports, FieldPath.Field(path, "ports"), t));
        if (f.GetValueOrDefault("restart").Value is { } restart) spec.With("restartPolicy", Restart(restart, FieldPath.Field(path, "restart"), t));
        if (f.GetValueOrDefault("healthcheck").Value is { } health) spec.With("readinessProbe", ComposeHealthcheck.Translate(health, FieldPath.Field(path, "healthcheck"), t));
        if (f.GetValueOrDefault("hostname").Value is { } hostname) spec.With("hostname", hostname);
        if (f.GetValueOrDefault("stop_grace_period").Value is { } grace) spec.With("stopGracePeriod", grace);
        if (f.GetValueOrDefault("stop_signal").Value is { } signal) spec.With("stopSignal", signal);
        spec.With("securityContext", ComposeSecurity.Translate(f, value, path, t));
        Mounts(f, value, path, name, project, t).AddTo(spec);
        if (f.GetValueOrDefault("deploy").Value is { } deploy) labels = ComposeDeploy.Translate(deploy, FieldPath.Field(path, "deploy"), spec, labels, t);
        return ComposeFile.Document(ObjectKinds.Service, key, name, value, t, labels).With("spec", spec);
    }

    /// <summary>volumes, secrets and configs as spec.volumes and spec.volumeMounts; no two secrets or configs in one folder.</summary>
    private static ServiceMounts Mounts(Dictionary<string, (YamlNode Key, YamlNode Value)> f, YamlNode value, string path, string name, ComposeProject project, Translator t)
    {
        var mounts = new ServiceMounts(value, t);
        if (f.GetValueOrDefault("volumes").Value is { } volumes) ComposeVolumes.Translate(volumes, FieldPath.Field(path, "volumes"), name, project, mounts, t);
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        if (f.GetValueOrDefault("secrets").Value is { } secrets) ComposeDataMounts.Translate(secrets, FieldPath.Field(path, "secrets"), ObjectKinds.Secret, project, mounts, folders, t);
        if (f.GetValueOrDefault("configs").Value is { } configs) ComposeDataMounts.Translate(configs, FieldPath.Field(path, "configs"), ObjectKinds.Config, project, mounts, folders, t);
        return mounts;
    }

    /// <summary>A list as it is; a string split into words as a shell would (Compose does the same).</summary>
    private static YamlNode? Words(YamlNode node, string path, Translator t)
    {
        if (node is not YamlScalarNode) return node;
        if (t.Reader.Text(node, path) is not { } text) return null;
        if (ShellWords.Split(text) is not { } words)
        {
            t.Reader.Error(node, path, "has an unclosed quote; write it as a list of strings instead");
            return null;
        }
        var list = t.List(node);
        foreach (var word in words) list.Add(t.Text(word, node));
        return list;
    }

    /// <summary>A map as it is; the list form ["NAME=value"] as a map. A name without a value would come from the shell of whoever runs compose, which the cluster has not.</summary>
    private static YamlNode? Environment(YamlNode node, string path, Translator t)
    {
        if (node is YamlMappingNode map)
        {
            foreach (var (name, key, value) in t.Reader.Entries(map, path))
                if (YamlScalars.IsNull(value))
                    t.Unsupported(key, FieldPath.Key(path, name), $"{YamlScalars.Quote(name)} has no value (Compose takes it from the shell); give it one");
            return map;
        }
        if (t.Reader.List(node, path, "NAME=value strings") is not { } list) return null;
        var env = t.Map(node);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            if (t.Reader.Text(item, FieldPath.Index(path, i)) is not { } text) continue;
            var equals = text.IndexOf('=');
            if (equals < 0) t.Unsupported(item, FieldPath.Index(path, i), $"{YamlScalars.Quote(text)} has no value (Compose takes it from the shell); write NAME=value");
            else env.Add(t.Text(text[..equals], item), t.Text(text[(equals + 1)..], item));
        }
        return env;
    }

    /// <summary>no, always, unless-stopped (always: the cluster has no "stopped by hand"), on-failure[:N].</summary>
    private static YamlNode? Restart(YamlNode node, string path, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return null;
        switch (text)
        {
            case "no": return t.Text("never", node);
            case "always" or "unless-stopped": return t.Text("always", node);
            case "on-failure": return t.Text("on-failure", node);
        }
        if (text.StartsWith("on-failure:", StringComparison.Ordinal) && long.TryParse(text["on-failure:".Length..], out var attempts) && attempts >= 0)
            return t.Map(node).With("condition", t.Text("on-failure", node)).With("maxAttempts", t.Number(attempts, node));
        t.Reader.Error(node, path, $"must be one of no, always, on-failure, on-failure:N, unless-stopped, got {YamlScalars.Quote(text)}");
        return null;
    }
}
