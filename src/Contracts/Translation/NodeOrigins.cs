using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Where each node made by a translation came from: an error found in our manifest form points at the Compose or
/// Kubernetes text the person wrote. Nodes copied unchanged keep their own position and need no entry.
/// </summary>
internal sealed class NodeOrigins
{
    private readonly Dictionary<YamlNode, YamlNode> origins = new(ReferenceEqualityComparer.Instance);

    public T Made<T>(T node, YamlNode origin) where T : YamlNode
    {
        origins[node] = origins.GetValueOrDefault(origin, origin);
        return node;
    }

    /// <summary>The node whose position a person should see.</summary>
    public YamlNode Of(YamlNode node) => origins.GetValueOrDefault(node, node);
}
