using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The newest events of the cluster in memory, fed by the cluster cache's watch (events live under the root, so that
/// watch already sees them), so that `GET /api/v1/events`, `orc describe` and the overview list no etcd per request.
/// Bounded: at most <paramref name="perScope"/> per service (or the cluster scope) and <paramref name="total"/> in all,
/// the oldest dropped first; etcd keeps them for their lease's hour regardless. Not thread-safe: the cache calls it
/// under its lock.
/// </summary>
public sealed class RecentEvents(string eventsPrefix, int perScope = RecentEvents.DefaultPerScope, int total = RecentEvents.DefaultTotal)
{
    public const int DefaultPerScope = 1_000;
    public const int DefaultTotal = 50_000;

    // Scope ("ns/service" or "_cluster") -> key suffix ("{ticks:D19}-{rand}": sorts by time) -> event.
    private readonly Dictionary<string, SortedDictionary<string, ClusterEvent>> _byScope = new(StringComparer.Ordinal);
    private readonly SortedSet<(string Suffix, string Scope)> _all = new();

    public int Count => _all.Count;

    public bool Holds(string key) => key.StartsWith(eventsPrefix, StringComparison.Ordinal);

    public void Clear()
    {
        _byScope.Clear();
        _all.Clear();
    }

    /// <summary>A stored event; a value that is not one is left out (it would fail every list otherwise).</summary>
    public void Put(string key, string value)
    {
        if (Split(key) is not { } parts) return;
        var (scope, suffix) = parts;
        ClusterEvent? e;
        try { e = Json.Deserialize<ClusterEvent>(value); }
        catch (JsonException) { return; }
        if (e is null) return;
        if (!_byScope.TryGetValue(scope, out var events)) _byScope[scope] = events = new SortedDictionary<string, ClusterEvent>(StringComparer.Ordinal);
        events[suffix] = e;
        _all.Add((suffix, scope));
        if (events.Count > perScope) Drop(scope, events.Keys.First());
        while (_all.Count > total) Drop(_all.Min.Scope, _all.Min.Suffix);
    }

    /// <summary>An event deleted (its lease expired).</summary>
    public void Delete(string key)
    {
        if (Split(key) is { } parts) Drop(parts.Scope, parts.Suffix);
    }

    /// <summary>The newest <paramref name="limit"/> events of a scope, of a namespace's scopes, or of all (null), oldest first.</summary>
    public IReadOnlyList<ClusterEvent> List(string? scope, int limit) =>
        _byScope.Where(s => scope is null || s.Key == scope || s.Key.StartsWith(scope + "/", StringComparison.Ordinal))
            .SelectMany(s => s.Value.Values.TakeLast(limit))
            .OrderBy(e => e.Time).TakeLast(limit).ToList();

    private void Drop(string scope, string suffix)
    {
        _all.Remove((suffix, scope));
        if (!_byScope.TryGetValue(scope, out var events)) return;
        events.Remove(suffix);
        if (events.Count == 0) _byScope.Remove(scope);
    }

    /// <summary>"{prefix}default/web/0638...-ab12cd" -> ("default/web", "0638...-ab12cd").</summary>
    private (string Scope, string Suffix)? Split(string key)
    {
        if (!Holds(key)) return null;
        var last = key.LastIndexOf('/');
        return last <= eventsPrefix.Length ? null : (key[eventsPrefix.Length..last], key[(last + 1)..]);
    }
}
