using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Secrets;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// A secret as etcd holds it: who it is, its keys and their sizes in the clear (what `orc get secrets` shows), its
/// values (the JSON of <see cref="SecretObject.Data"/>) only sealed (<see cref="SecretEnvelope"/>).
/// </summary>
public sealed record StoredSecret
{
    public ObjectMeta Metadata { get; init; } = new();
    public List<DataItem> Keys { get; init; } = new();
    public SealedValue Sealed { get; init; } = new();

    public DataObjectView View(long resourceVersion) => new()
    {
        Kind = ObjectKinds.Secret, Metadata = Metadata with { ResourceVersion = resourceVersion }, Keys = Keys,
    };
}
