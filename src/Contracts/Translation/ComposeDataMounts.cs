using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A Compose service's secrets and configs: each is a secret (or config) volume holding the one key the top-level
/// entry made (its name, ComposeData) at the file Compose puts it: /run/secrets/NAME for a secret, /NAME for a
/// config, or the target given (relative: under /run/secrets for a secret). Our volumes are folders, so the volume is
/// the target's folder with the key as its file: two in one folder would hide each other, and that is unsupported.
/// An external one is expected to hold a key of its name too.
/// </summary>
internal static class ComposeDataMounts
{
    public static readonly KeyTable SecretKeys = KeyTable.Of("compose services.*.secrets[]", mapped: ["source", "target"]);
    public static readonly KeyTable ConfigKeys = KeyTable.Of("compose services.*.configs[]", mapped: ["source", "target"]);

    public static void Translate(YamlNode node, string path, string kind, ComposeProject project, ServiceMounts mounts, Dictionary<string, string> folders, Translator t)
    {
        var secret = kind == ObjectKinds.Secret;
        if (t.Reader.List(node, path, secret ? "secret names, like [db_password]" : "config names, or {source, target}") is not { } list
            || !t.Reader.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumes, secret ? "secrets" : "configs")) return;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var itemPath = FieldPath.Index(path, i);
            YamlNode sourceNode = item;
            YamlNode? targetNode = null;
            if (item is YamlMappingNode)
            {
                if (t.Keys(item, itemPath, secret ? SecretKeys : ConfigKeys) is not { } f) continue;
                if (f.GetValueOrDefault("source").Value is not { } s)
                {
                    t.Reader.Error(item, FieldPath.Field(itemPath, "source"), $"required: the name of a top-level {(secret ? "secret" : "config")}");
                    continue;
                }
                sourceNode = s;
                targetNode = f.GetValueOrDefault("target").Value;
            }
            var sourcePath = item is YamlMappingNode ? FieldPath.Field(itemPath, "source") : itemPath;
            if (t.Reader.Text(sourceNode, sourcePath) is not { } name) continue;
            if (!(secret ? project.Secrets : project.Configs).Contains(name))
            {
                t.Reader.Error(sourceNode, sourcePath, $"there is no top-level {(secret ? "secret" : "config")} {YamlScalars.Quote(name)}: declare it under {(secret ? "secrets" : "configs")} with file: or external: true");
                continue;
            }
            var target = targetNode is null ? null : t.Reader.Text(targetNode, FieldPath.Field(itemPath, "target"));
            if (targetNode is not null && target is null) continue;
            var file = target is null ? (secret ? VolumeSpec.DefaultSecretPath(name) : "/" + name)
                : target.StartsWith('/') ? target : secret ? VolumeSpec.DefaultSecretPath(target) : "/" + target;
            var at = targetNode ?? sourceNode;
            var slash = file.LastIndexOf('/');
            var folder = file[..slash];
            if (folder.Length == 0 || slash == file.Length - 1)
            {
                t.Unsupported(at, targetNode is null ? sourcePath : FieldPath.Field(itemPath, "target"),
                    $"{file}: a config here is a file in a folder of its own, not at the root; give it a target like /etc/app/{name}");
                continue;
            }
            if (folders.TryGetValue(folder, out var other))
            {
                t.Unsupported(at, targetNode is null ? sourcePath : FieldPath.Field(itemPath, "target"),
                    $"{file} would be in {folder} beside {other}: each secret or config here is a folder of its own (mounted read-only), so give this one a target in another folder, like {folder}/{name}/{name}");
                continue;
            }
            folders[folder] = file;
            var volume = $"{(secret ? "secret" : "config")}-{name.Replace('_', '-')}";
            var items = t.List(at).Tap(l => l.Add(t.Map(at).With("key", t.Text(name, sourceNode)).With("path", t.Text(file[(slash + 1)..], at))));
            var source = secret
                ? t.Map(sourceNode).With("secretName", t.Text(name.Replace('_', '-'), sourceNode)).With("items", items)
                : t.Map(sourceNode).With("name", t.Text(name.Replace('_', '-'), sourceNode)).With("items", items);
            mounts.Volume(volume, at, t.Map(at).With("name", t.Text(volume, at)).With(secret ? VolumeKinds.Secret : VolumeKinds.Config, source));
            mounts.Mount(volume, folder, readOnly: true, at, t);
        }
    }
}
