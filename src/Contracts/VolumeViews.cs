namespace Orchestrator.Contracts;

/// <summary>One Docker volume of the cluster as an agent sees it (GET /v1/volumes on the agent).</summary>
public sealed record NodeVolume
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    /// <summary>Its name in spec.volumes.</summary>
    public string Volume { get; init; } = "";
    /// <summary>persistent or shared.</summary>
    public string Kind { get; init; } = "";
    /// <summary>The replica slot of a persistent volume; null for shared.</summary>
    public int? Slot { get; init; }
    /// <summary>Bytes on disk, as the engine counts them; null when it could not say.</summary>
    public long? SizeBytes { get; init; }
    /// <summary>Names of the containers (any state) that mount it.</summary>
    public List<string> UsedBy { get; init; } = new();
}

/// <summary>An agent's answer to GET /v1/volumes.</summary>
public sealed record NodeVolumes
{
    public string Node { get; init; } = "";
    public List<NodeVolume> Volumes { get; init; } = new();
}

/// <summary>One row of GET /api/v1/volumes (`orc get volumes`): an agent's report joined with the record of where a slot's data lives.</summary>
public sealed record VolumeView
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    public string Volume { get; init; } = "";
    public string Kind { get; init; } = "";
    public int? Slot { get; init; }
    public string Node { get; init; } = "";
    public long? SizeBytes { get; init; }
    public List<string> UsedBy { get; init; } = new();
    /// <summary>False when the node did not answer: the row comes from the control plane's record only.</summary>
    public bool Reported { get; init; }
}

public sealed record VolumeList
{
    public List<VolumeView> Volumes { get; init; } = new();
    public List<UnreachableNode> Unreachable { get; init; } = new();
}

/// <summary>
/// Where a persistent volume's data lives (/orchestrator/volumes/{name}), written when its slot is first placed: the
/// scheduler keeps the slot on <see cref="Node"/> from then on. Also what a service deletion with reclaimPolicy Delete
/// marks for removal.
/// </summary>
public sealed record VolumeRecord
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    public string Volume { get; init; } = "";
    public string Kind { get; init; } = VolumeKinds.Persistent;
    public int? Slot { get; init; }
    public string Node { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public long ResourceVersion { get; init; }
}

/// <summary>
/// The volumes of a deleted service whose reclaimPolicy was Delete (/orchestrator/volume-reclaims/{ns}/{service}): the
/// control plane asks every node to remove them and drops the request once every node has none of them left.
/// </summary>
public sealed record VolumeReclaim
{
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    /// <summary>Names in the deleted spec.volumes.</summary>
    public List<string> Volumes { get; init; } = new();
    public DateTimeOffset RequestedAt { get; init; }
}

/// <summary>The answer of DELETE /api/v1/volumes/{name}.</summary>
public sealed record VolumeRemoval
{
    public string Name { get; init; } = "";
    /// <summary>Nodes whose engine removed it.</summary>
    public List<string> RemovedFrom { get; init; } = new();
    /// <summary>What could not be done, like a Down node that still holds the data (its record is gone all the same).</summary>
    public List<string> Warnings { get; init; } = new();
}
