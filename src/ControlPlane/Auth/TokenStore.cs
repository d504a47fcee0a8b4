using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>
/// Bearer tokens in etcd (tokens/ID), read from the <see cref="ClusterCache"/> like every other record: checking a
/// request's token costs no etcd request. Writes compare revisions and then wait for the cache, so a token answered
/// by POST /api/v1/tokens works on the next request to this control plane.
/// </summary>
public sealed class TokenStore(EtcdKv kv, Keys keys, TimeProvider time, ClusterCache? cache = null)
{
    private ClusterCache? Cached => cache is { IsSynced: true } c ? c : null;

    private async Task<StoredValue?> ReadAsync(string key, CancellationToken ct) =>
        Cached is { } c ? c.Get(key) : await kv.GetAsync(key, ct);

    private async Task<IReadOnlyList<StoredValue>> ReadAllAsync(CancellationToken ct) =>
        Cached is { } c ? c.List(keys.Tokens) : (await kv.ListAsync(keys.Tokens, ct)).Items;

    private async Task<bool> CommitAsync(EtcdTxn txn, CancellationToken ct)
    {
        var outcome = await kv.CommitAsync(txn, ct);
        if (Cached is { } c) await c.WaitForRevisionAsync(outcome.Revision, ct);
        return outcome.Succeeded;
    }

    /// <summary>The caller a token's text proves, or null: malformed, unknown, wrong secret or expired.</summary>
    public async Task<Caller?> AuthenticateAsync(string? text, CancellationToken ct = default)
    {
        if (TokenText.TryParse(text) is not { } token) return null;
        if (await ReadAsync(keys.Token(token.Id), ct) is not { } stored) return null;
        // Every request of every node and user comes here: the record is decoded once per revision when the cache holds it.
        var record = Cached is { } c ? c.Decoded.Get(stored, StoredRecords.Read<StoredToken>) : StoredRecords.Read<StoredToken>(stored);
        if (!token.Matches(record.SecretSha256) || record.ExpiredAt(time.GetUtcNow())) return null;
        return new Caller(record.Role, record.Node, record.Id);
    }

    public async Task<IssuedToken> CreateAsync(string role, TimeSpan? ttl, CancellationToken ct = default)
    {
        var (text, record) = NewToken(role, ttl, node: null);
        if (!await CommitAsync(new EtcdTxn().Require(keys.Token(text.Id), 0).PutValue(keys.Token(text.Id), Json.Serialize(record)), ct))
            throw new ConflictException($"token id {text.Id} exists already; try again");
        return new IssuedToken { Token = text.ToString(), Info = record.View() };
    }

    /// <summary>
    /// Makes <paramref name="text"/> a valid token of <paramref name="role"/> (for the admin token file every control
    /// plane of a cluster may be given): written when absent or different, left alone when it is already so.
    /// </summary>
    public async Task EnsureAsync(TokenText text, string role, CancellationToken ct = default)
    {
        while (true)
        {
            var key = keys.Token(text.Id);
            var stored = await kv.GetAsync(key, ct);
            if (stored is not null && StoredRecords.Read<StoredToken>(stored) is { } existing
                && existing.Role == role && text.Matches(existing.SecretSha256) && existing.ExpiresAt is null) return;
            var record = new StoredToken { Id = text.Id, Role = role, SecretSha256 = text.SecretHash, CreatedAt = time.GetUtcNow() };
            if (await CommitAsync(new EtcdTxn().Require(key, stored?.ModRevision ?? 0).PutValue(key, Json.Serialize(record)), ct)) return;
        }
    }

    /// <summary>A node's own credential, in place of any it had before (a node that joins again gets a new one).</summary>
    public async Task<IssuedToken> IssueNodeCredentialAsync(string node, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (text, record) = NewToken(TokenRoles.Node, ttl: null, node);
            var txn = new EtcdTxn().Require(keys.Token(text.Id), 0).PutValue(keys.Token(text.Id), Json.Serialize(record));
            foreach (var old in await NodeCredentialsAsync(node, ct)) txn.Require(old.Key, old.ModRevision).DeleteKey(old.Key);
            if (await CommitAsync(txn, ct)) return new IssuedToken { Token = text.ToString(), Info = record.View() };
            if (attempt >= 10) throw new ConflictException($"the credentials of node \"{node}\" kept changing; try again");
        }
    }

    /// <summary>Revokes every credential bound to <paramref name="node"/>; answers how many there were.</summary>
    public async Task<int> RevokeNodeAsync(string node, CancellationToken ct = default)
    {
        var old = await NodeCredentialsAsync(node, ct);
        if (old.Count == 0) return 0;
        var txn = new EtcdTxn();
        foreach (var o in old) txn.DeleteKey(o.Key);
        await CommitAsync(txn, ct);
        return old.Count;
    }

    public async Task<IReadOnlyList<TokenView>> ListAsync(CancellationToken ct = default) =>
        StoredRecords.Readable(await ReadAllAsync(ct), v => StoredRecords.Read<StoredToken>(v).View(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>False when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken ct = default)
    {
        if (await ReadAsync(keys.Token(id), ct) is not { } stored) return false;
        await CommitAsync(new EtcdTxn().Require(stored.Key, stored.ModRevision).DeleteKey(stored.Key), ct);
        return true;
    }

    private async Task<List<StoredValue>> NodeCredentialsAsync(string node, CancellationToken ct) =>
        (await ReadAllAsync(ct)).Where(v =>
        {
            try { return StoredRecords.Read<StoredToken>(v) is { Role: TokenRoles.Node } t && t.Node == node; }
            catch (UnreadableRecordException) { return false; }
        }).ToList();

    private (TokenText Text, StoredToken Record) NewToken(string role, TimeSpan? ttl, string? node)
    {
        var text = TokenText.Generate();
        var now = time.GetUtcNow();
        return (text, new StoredToken
        {
            Id = text.Id, Role = role, Node = node, SecretSha256 = text.SecretHash, CreatedAt = now,
            ExpiresAt = ttl is { } t ? now + t : null,
        });
    }
}
