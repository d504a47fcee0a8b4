using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// One document as read: its identity (kept even when the document has errors, so that a duplicate is still found)
/// and the object, which is null when the document had any error.
/// </summary>
internal sealed record ManifestObject(string FileName, string Kind, string Namespace, string Name, YamlNode NameNode, ServiceObject? Service)
{
    public string Identity => $"{Kind} {YamlScalars.Quote($"{Namespace}/{Name}")}";
}
