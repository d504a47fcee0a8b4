using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>The outcome of reading manifests: every object, or every error (never a half).</summary>
public sealed record LoadResult
{
    public List<ServiceObject> Services { get; init; } = new();
    public List<SecretObject> Secrets { get; init; } = new();
    public List<ConfigObject> Configs { get; init; } = new();
    public List<ValidationError> Errors { get; init; } = new();
    /// <summary>Unsupported keys of Compose files and Kubernetes manifests skipped with <see cref="TranslationOptions.IgnoreUnsupported"/>.</summary>
    public List<ValidationError> Warnings { get; init; } = new();
    /// <summary>The published ports the services of this load claim, where each stands (checked against stored services by the server).</summary>
    public List<PublishedPortClaim> PublishedPorts { get; init; } = new();
    /// <summary>Every reference of the services to a Secret or Config, where it was written (checked by the control plane).</summary>
    public List<DataReference> References { get; init; } = new();
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Turns manifest files (several YAML documents each) into objects. A load is all or nothing, like an apply:
/// one bad document anywhere and no object comes out, but every error of every file does.
/// </summary>
public static partial class ManifestLoader
{
    public static LoadResult Load(IEnumerable<ManifestFile> files, TranslationOptions? options = null)
    {
        var errors = new List<ValidationError>();
        var warnings = new List<ValidationError>();
        var references = new List<DataReference>();
        var objects = new List<ManifestObject>();
        var byIdentity = new Dictionary<string, ManifestObject>();
        var documentsBefore = 0;
        var published = new List<PublishedPortClaim>();
        foreach (var file in files)
        {
            var reader = new ManifestReader(file.Name);
            var translator = new Translator(reader, options ?? TranslationOptions.Strict);
            // Limits first: a file that breaks one is never given to the composer, which it could crash.
            var preflight = YamlPreflight.Scan(file.Content, reader.File, documentsBefore);
            documentsBefore += preflight.Objects;
            if (preflight.Error is { } limit)
            {
                errors.Add(limit);
                continue;
            }
            var written = Parse(file.Content, reader.File, out var malformed);
            // Compose files and Kubernetes manifests become our documents here, so that every check below applies.
            var documents = ManifestTranslation.Translate(written, translator);
            warnings.AddRange(translator.Warnings);
            // A Compose file is one document of many objects: the apply's object limit counts what it became.
            documentsBefore += documents.Count - written.Count;
            if (documents.Count != written.Count && documentsBefore > ManifestLimits.MaxObjects)
                reader.Errors.Add(new ValidationError { File = reader.File, Line = 1, Column = 1,
                    Message = $"the apply holds more than {ManifestLimits.MaxObjects} objects once {reader.File} is translated; apply fewer at a time" });
            if (written.Count == 0 && malformed is null)
                reader.Errors.Add(new ValidationError { File = reader.File, Line = 1, Column = 1, Message = $"no objects in {reader.File}" });
            foreach (var root in documents)
            {
                var claimsBefore = reader.PublishedPorts.Count;
                if (ManifestDocument.Read(root, reader) is not { } read) continue;
                foreach (var claim in reader.PublishedPorts.Skip(claimsBefore).Select(c => c with { Namespace = read.Namespace, Service = read.Name }))
                {
                    if (PublishedPortClaim.Conflict(claim, published) is { } conflict) reader.Errors.Add(conflict);
                    published.Add(claim);
                }
                if (byIdentity.TryAdd(read.Identity, read)) objects.Add(read);
                else reader.Error(read.NameNode, "metadata.name", $"{read.Identity} is already defined at {Where(byIdentity[read.Identity])}");
                if (read.Value is ServiceObject service && Json.SerializeToUtf8Bytes(service).Length is var size && size > ManifestLimits.MaxObjectBytes)
                    reader.Error(root, "", $"{read.Identity} is {ManifestLimits.Size(size)} when stored, more than the " +
                        $"{ManifestLimits.Size(ManifestLimits.MaxObjectBytes)} one object may be");
            }
            if (malformed is not null) reader.Errors.Add(malformed);
            references.AddRange(reader.References.OrderBy(r => r.At.Line).ThenBy(r => r.At.Column));
            // Top to bottom, as a person fixes a file; reading order would put unknown fields before bad values.
            errors.AddRange(reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column));
        }
        return errors.Count > 0
            ? new LoadResult { Errors = FirstErrors(errors), Warnings = warnings }
            : new LoadResult
            {
                Warnings = warnings,
                Services = objects.Select(o => o.Value).OfType<ServiceObject>().ToList(),
                Secrets = objects.Select(o => o.Value).OfType<SecretObject>().ToList(),
                Configs = objects.Select(o => o.Value).OfType<ConfigObject>().ToList(),
                PublishedPorts = published,
                References = references,
            };
    }

    /// <summary>The first <see cref="ManifestLimits.MaxErrors"/> errors and a last one that says how many more there are.</summary>
    private static List<ValidationError> FirstErrors(List<ValidationError> errors)
    {
        if (errors.Count <= ManifestLimits.MaxErrors) return errors;
        var last = errors[ManifestLimits.MaxErrors];
        return errors.Take(ManifestLimits.MaxErrors)
            .Append(last with { Path = "", Message = $"and {errors.Count - ManifestLimits.MaxErrors} more error(s) from here on; fix these first" })
            .ToList();
    }

    /// <summary>
    /// The root nodes of the file's non-empty documents. Malformed YAML ends the file at the error, which is given
    /// back; the documents before it are still returned so that their own errors are found in the same run.
    /// </summary>
    internal static List<YamlNode> Parse(string content, string file, out ValidationError? malformed)
    {
        var stream = new YamlStream();
        malformed = null;
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            malformed = new ValidationError
            {
                File = file,
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
                Message = $"invalid YAML: {ShortMessage(e)}",
            };
        }
        return stream.Documents.Select(d => d.RootNode).Where(root => !YamlScalars.IsNull(root)).ToList();
    }

    private static string Where(ManifestObject o) => $"{o.FileName}:{o.NameNode.Start.Line}:{o.NameNode.Start.Column}";

    /// <summary>The parser's own words without the position prefix it repeats from <see cref="YamlException.Start"/>.</summary>
    private static string ShortMessage(YamlException e) => PositionPrefix().Replace(e.Message, "").Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
