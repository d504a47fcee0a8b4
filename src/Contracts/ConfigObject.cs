using System.Text;
using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>Named configuration text (Kubernetes' ConfigMap): key -> text, delivered to replicas as env or files.</summary>
public sealed record ConfigObject
{
    public string ApiVersion { get; init; } = ObjectKinds.ApiVersion;
    public string Kind { get; init; } = ObjectKinds.Config;
    public ObjectMeta Metadata { get; init; } = new();
    public Dictionary<string, string> Data { get; init; } = new();

    [JsonIgnore] public string Key => $"{Metadata.Namespace}/{Metadata.Name}";

    /// <summary>The config as lists show it: keys and sizes.</summary>
    public DataObjectView View() => new() { Kind = ObjectKinds.Config, Metadata = Metadata, Keys = Items() };

    public List<DataItem> Items() =>
        Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DataItem(d.Key, Encoding.UTF8.GetByteCount(d.Value))).ToList();
}
