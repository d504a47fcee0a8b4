using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Compose files and Kubernetes manifests in our manifest form (docs/compat.md). The loader translates before it
/// validates, so every check of our manifests applies and errors point at the file as written; orc sends the
/// translated form (<see cref="OwnForm"/>) once its own load found no error.
/// </summary>
public static class ManifestTranslation
{
    /// <summary>True when the file is a Compose file or holds a Kubernetes document.</summary>
    public static bool IsForeign(ManifestFile file)
    {
        var documents = ManifestLoader.Parse(file.Content, file.Name, out _);
        return documents.Count > 0 && ComposeFile.IsCompose(documents[0]) || documents.Any(KubernetesManifests.IsKubernetes);
    }

    public static bool IsCompose(ManifestFile file) =>
        ManifestLoader.Parse(file.Content, file.Name, out _) is { Count: > 0 } documents && ComposeFile.IsCompose(documents[0]);

    /// <summary>The file's objects as our manifest YAML, under the same name; meant for a file that loaded without error.</summary>
    public static ManifestFile OwnForm(ManifestFile file, TranslationOptions options)
    {
        var translator = new Translator(new ManifestReader(file.Name), options);
        var stream = new YamlStream(Translate(ManifestLoader.Parse(file.Content, file.Name, out _), translator).Select(d => new YamlDocument(d)));
        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return file with { Content = text.ToString() };
    }

    internal static List<YamlNode> Translate(List<YamlNode> documents, Translator t)
    {
        if (documents.Count == 0 || !ComposeFile.IsCompose(documents[0])) return KubernetesManifests.Translate(documents, t);
        if (documents.Count > 1) t.Reader.Error(documents[1], "", "a Compose file has one document; apply other manifests from their own files");
        return ComposeFile.Translate(documents[0], t);
    }
}
