using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>A key of a Secret or Config named by a service (Kubernetes' secretKeyRef / configMapKeyRef).</summary>
public sealed record KeyRef
{
    public string Name { get; init; } = "";
    public string Key { get; init; } = "";
    /// <summary>True: a missing object or key leaves the variable unset instead of refusing the apply.</summary>
    public bool Optional { get; init; }
}

/// <summary>env[].valueFrom: exactly one of the two is set. The value is read on the node when the replica starts.</summary>
public sealed record EnvSource
{
    public KeyRef? SecretKeyRef { get; init; }
    public KeyRef? ConfigKeyRef { get; init; }

    [JsonIgnore] public string Kind => SecretKeyRef is not null ? DataKinds.Secret : DataKinds.Config;
    [JsonIgnore] public KeyRef Ref => SecretKeyRef ?? ConfigKeyRef!;
}

/// <summary>The two kinds a service may take values from, as they are named in references and change causes.</summary>
public static class DataKinds
{
    public const string Secret = "secret";
    public const string Config = "config";

    /// <summary>"secret/db", the key of <see cref="ServiceSpec.DataVersions"/>.</summary>
    public static string Id(string kind, string name) => $"{kind}/{name}";
}

/// <summary>
/// One reference of a service to a Secret or Config, where the manifest wrote it: the apply refuses a missing one (unless
/// optional) at that file:line:column. <see cref="Key"/> is null for a whole-object reference (a volume).
/// </summary>
public sealed record DataReference
{
    public string Kind { get; init; } = DataKinds.Secret;
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Service { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Key { get; init; }
    public bool Optional { get; init; }
    /// <summary>The position of the reference's name; its message is empty until a check fills it.</summary>
    public ValidationError At { get; init; } = new();
}

/// <summary>The Secrets and Configs a spec uses, with or without a key.</summary>
public static class SpecReferences
{
    public static IEnumerable<(string Kind, string Name)> Of(IReadOnlyDictionary<string, EnvSource>? envRefs, IReadOnlyList<VolumeSpec>? volumes) =>
        (envRefs?.Values.Select(e => (e.Kind, e.Ref.Name)) ?? [])
            .Concat((volumes ?? []).Select(v => v.Data).OfType<(string, string)>())
            .Distinct();

    public static IEnumerable<(string Kind, string Name)> Of(ServiceSpec spec) => Of(spec.EnvRefs, spec.Volumes);

    public static IEnumerable<(string Kind, string Name)> Of(ContainerSpec spec) => Of(spec.EnvRefs, spec.Volumes);
}

/// <summary>
/// GET /api/v1/nodes/{node}/secrets|configs/{ns}/{name}: the values a node's agent needs for its replicas, each key's
/// value base64. Answered only to that node's own credential while a replica assigned to it uses the object.
/// </summary>
public sealed record DeliveredData
{
    public string Kind { get; init; } = DataKinds.Secret;
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Name { get; init; } = "";
    public Dictionary<string, string> Data { get; init; } = new();
}
