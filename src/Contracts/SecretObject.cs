using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>
/// Named sensitive values (Kubernetes' Secret): each key's value base64 in <see cref="Data"/>. A manifest may also
/// write plain text under <c>stringData</c>; it is folded into <see cref="Data"/> when read, as Kubernetes does. The
/// control plane stores the values encrypted and never answers them: reads give a <see cref="DataObjectView"/>.
/// </summary>
public sealed record SecretObject
{
    public string ApiVersion { get; init; } = ObjectKinds.ApiVersion;
    public string Kind { get; init; } = ObjectKinds.Secret;
    public ObjectMeta Metadata { get; init; } = new();
    /// <summary>Key -> value, base64.</summary>
    public Dictionary<string, string> Data { get; init; } = new();

    [JsonIgnore] public string Key => $"{Metadata.Namespace}/{Metadata.Name}";

    /// <summary>The keys and their decoded sizes, what may be shown of a secret.</summary>
    public List<DataItem> Items() =>
        Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DataItem(d.Key, Convert.FromBase64String(d.Value).Length)).ToList();
}
