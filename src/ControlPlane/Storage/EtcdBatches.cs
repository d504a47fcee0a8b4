namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Splits a write of many keys into transactions that etcd accepts: at most 128 compares and 128 operations each
/// (its default --max-txn-ops) and well under its 1.5 MiB request limit (--max-request-bytes). Each transaction is
/// still all-or-nothing and compares every key it writes, so a batch is a series of atomic steps, in order: when one
/// step loses to a concurrent writer the ones after it are not tried.
/// </summary>
public static class EtcdBatches
{
    /// <summary>etcd's default limit of operations (and of compares) in one transaction.</summary>
    public const int MaxOperations = 128;

    /// <summary>What one transaction may carry in values: 1 MiB, leaving room for keys and framing under 1.5 MiB.</summary>
    public const int MaxBytes = 1 << 20;

    /// <param name="operationsEach">how many operations (or compares, whichever is more) one item costs</param>
    /// <param name="reserved">operations every transaction spends besides the items (a compare on the service, say)</param>
    public static IEnumerable<IReadOnlyList<T>> Chunk<T>(IReadOnlyList<T> items, int operationsEach, Func<T, int> bytes, int reserved = 0)
    {
        var perTxn = Math.Max(1, (MaxOperations - reserved) / operationsEach);
        var chunk = new List<T>();
        var size = 0;
        foreach (var item in items)
        {
            var b = bytes(item);
            if (chunk.Count > 0 && (chunk.Count == perTxn || size + b > MaxBytes))
            {
                yield return chunk;
                chunk = [];
                size = 0;
            }
            chunk.Add(item);
            size += b;
        }
        if (chunk.Count > 0) yield return chunk;
    }
}

/// <summary>How many replicas (from the start of the list asked for) were removed, and the revision of the last removal.</summary>
public sealed record ReplicaRemovals(int Count, long Revision);
