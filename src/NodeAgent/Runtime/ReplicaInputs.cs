using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>Where an agent gets the values of the secrets and configs its replicas use (the control plane's node-restricted route).</summary>
public interface IReplicaDataSource
{
    /// <summary>The object's values (base64 per key); null when it does not exist.</summary>
    Task<DeliveredData?> FetchDataAsync(string kind, string ns, string name, CancellationToken ct);
}

/// <summary>A host folder bound into a container.</summary>
public sealed record BindMount(string Source, string Target, bool ReadOnly);

/// <summary>What a replica's container gets beyond its spec: env values and files taken from secrets and configs.</summary>
public sealed record ReplicaInputs(IReadOnlyDictionary<string, string> Env, IReadOnlyList<BindMount> Mounts)
{
    public static readonly ReplicaInputs None = new(new Dictionary<string, string>(), []);
}
