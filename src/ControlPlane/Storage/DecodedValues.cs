using System.Runtime.CompilerServices;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The records the cache's values decode to, each decoded once (client-go's informers hand out typed objects, not
/// bytes). Keyed by the <see cref="StoredValue"/> itself: the cache holds one instance per key and replaces it at
/// every change, so an entry is exactly one mod revision of one key, and it goes with its value (a weak table: no
/// eviction to get wrong). The records are shared by every reader: they are read, never changed (`with` copies).
/// </summary>
public sealed class DecodedValues
{
    private readonly ConditionalWeakTable<StoredValue, object> _decoded = new();

    public long Decodes => Interlocked.Read(ref _decodes);
    private long _decodes;

    /// <summary>The value as <typeparamref name="T"/>, decoded by <paramref name="read"/> the first time only; a value that
    /// does not read throws every time (nothing is kept for it).</summary>
    public T Get<T>(StoredValue value, Func<StoredValue, T> read) where T : class
    {
        if (_decoded.TryGetValue(value, out var known) && known is T decoded) return decoded;
        decoded = read(value);
        Interlocked.Increment(ref _decodes);
        _decoded.AddOrUpdate(value, decoded);
        return decoded;
    }
}
