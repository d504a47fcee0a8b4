using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// One document as read: its identity (kept even when the document has errors, so that a duplicate is still found)
/// and the object (a <see cref="ServiceObject"/>, <see cref="SecretObject"/> or <see cref="ConfigObject"/>), which is
/// null when the document had any error.
/// </summary>
internal sealed record ManifestObject(string FileName, string Kind, string Namespace, string Name, YamlNode NameNode, object? Value)
{
    public string Identity => $"{Kind} {YamlScalars.Quote($"{Namespace}/{Name}")}";
}
