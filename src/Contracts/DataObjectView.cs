namespace Orchestrator.Contracts;

/// <summary>One key of a Secret or Config and the size of its value in bytes; never the value.</summary>
public sealed record DataItem(string Name, long Bytes);

/// <summary>
/// What the API answers for a Secret or a Config in lists (and for a Secret always): its identity, keys and sizes.
/// A secret's values leave the control plane only to a node that runs a replica using them.
/// </summary>
public sealed record DataObjectView
{
    public string ApiVersion { get; init; } = ObjectKinds.ApiVersion;
    public string Kind { get; init; } = "";
    public ObjectMeta Metadata { get; init; } = new();
    public List<DataItem> Keys { get; init; } = new();

    public long TotalBytes => Keys.Sum(k => k.Bytes);
}

/// <summary>POST /api/v1/secrets/rotate-key: the new key's id and how many secrets were sealed again with it.</summary>
public sealed record KeyRotation
{
    public string KeyId { get; init; } = "";
    public int Secrets { get; init; }
}
