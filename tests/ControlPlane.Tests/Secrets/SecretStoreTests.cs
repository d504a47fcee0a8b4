using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Secrets;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Secrets;

/// <summary>Secrets sealed at rest and configs, against a real etcd: the raw bytes of the whole key space and its history.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SecretStoreTests(EtcdServer etcd) : IDisposable
{
    private const string First = "first-plaintext-Zq81", Second = "second-plaintext-Wm27";
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orc-keys-" + Guid.NewGuid().ToString("N")[..8]);
    private EncryptionKeyRing? _opened;
    private EncryptionKeyRing _ring => _opened ??= EncryptionKeyRing.OpenOrCreate(Path.Combine(_dir, "encryption.key"));

    private ClusterStore Store(EncryptionKeyRing? ring = null) => new(_kv, _keys, TimeProvider.System, secrets: new SecretEnvelope(ring ?? _ring));

    public void Dispose()
    {
        _kv.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static SecretObject Secret(string name, string password) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Data = new() { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), ["user"] = Convert.ToBase64String("admin"u8.ToArray()) },
    };

    private Task<IReadOnlyList<ApplyResult>> ApplyAsync(params SecretObject[] secrets) =>
        Store().ApplyAsync(new LoadResult { Secrets = [.. secrets] }, dryRun: false);

    private static string Password(SecretObject s) => Encoding.UTF8.GetString(Convert.FromBase64String(s.Data["password"]));

    /// <summary>Every value of every key etcd holds now, as raw bytes.</summary>
    private async Task<List<byte[]>> WholeKeySpaceAsync()
    {
        var all = ByteString.CopyFrom(0);
        var r = await _kv.Client.GetAsync(new RangeRequest { Key = all, RangeEnd = all });
        return r.Kvs.SelectMany(kv => new[] { kv.Key.ToByteArray(), kv.Value.ToByteArray() }).ToList();
    }

    /// <summary>Every value written to any key after <paramref name="revision"/>, from etcd's history (a watch replays it).</summary>
    private async Task<List<byte[]>> HistoryAfterAsync(long revision)
    {
        var end = await _kv.CurrentRevisionAsync();
        var values = new List<byte[]>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var call = _kv.Client.GetConnection().WatchClient.Watch(cancellationToken: cts.Token);
        var all = ByteString.CopyFrom(0);
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = all, RangeEnd = all, StartRevision = revision + 1, PrevKv = true } });
        long seen = revision;
        while (seen < end && await call.ResponseStream.MoveNext(cts.Token))
            foreach (var e in call.ResponseStream.Current.Events)
            {
                values.Add(e.Kv.Value.ToByteArray());
                if (e.PrevKv is not null) values.Add(e.PrevKv.Value.ToByteArray());
                seen = Math.Max(seen, e.Kv.ModRevision);
            }
        Assert.True(seen >= end, $"history replayed up to {seen}, etcd is at {end}");
        return values;
    }

    private static void AssertNowhere(IEnumerable<byte[]> values, params string[] plaintexts)
    {
        var list = values.ToList();
        foreach (var text in plaintexts)
            foreach (var form in new[] { text, Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) })
            {
                var needle = Encoding.UTF8.GetBytes(form);
                Assert.DoesNotContain(list, v => v.AsSpan().IndexOf(needle) >= 0);
            }
    }

    [Fact]
    public async Task A_secret_is_in_etcd_and_its_history_only_sealed_and_reads_back_its_last_value()
    {
        var start = await _kv.CurrentRevisionAsync();
        var created = await ApplyAsync(Secret("db", First));
        var changed = await ApplyAsync(Secret("db", Second));

        Assert.Equal((ApplyActions.Created, 1L), (created[0].Action, created[0].Generation));
        Assert.Equal((ApplyActions.Configured, 2L), (changed[0].Action, changed[0].Generation));
        Assert.Equal(Second, Password((await Store().OpenSecretAsync("default", "db"))!));
        AssertNowhere(await WholeKeySpaceAsync(), First, Second);
        var history = await HistoryAfterAsync(start);
        Assert.True(history.Count >= 2, "the history holds both writes");
        AssertNowhere(history, First, Second);
        // What may be shown is readable: who it is, its keys and their sizes.
        var raw = (await _kv.GetAsync(_keys.Secret("default", "db")))!.Value;
        Assert.Contains("\"keys\":[{\"name\":\"password\",\"bytes\":21},{\"name\":\"user\",\"bytes\":5}]", raw);
        Assert.Contains($"\"keyId\":\"{_ring.Primary.Id}\"", raw);
    }

    [Fact]
    public async Task The_same_values_again_are_unchanged_and_a_list_shows_keys_and_sizes_never_values()
    {
        await ApplyAsync(Secret("same", First));
        var again = await ApplyAsync(Secret("same", First));

        Assert.Equal(ApplyActions.Unchanged, again[0].Action);
        var view = Assert.Single(await Store().ListSecretsAsync("default"), v => v.Metadata.Name == "same");
        Assert.Equal([new DataItem("password", First.Length), new DataItem("user", 5)], view.Keys);
        Assert.DoesNotContain(First, Json.Serialize(view));
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(First)), Json.Serialize(view));
    }

    [Fact]
    public async Task Rotate_key_changes_every_stored_byte_keeps_every_secret_readable_and_the_old_key_is_no_longer_needed()
    {
        await ApplyAsync(Secret("a", First), Secret("b", Second));
        var oldKey = _ring.Primary;
        var before = (await _kv.GetAsync(_keys.Secret("default", "a")))!.Value;

        var (keyId, count) = await Store().RotateSecretsKeyAsync();

        Assert.Equal(2, count);
        Assert.NotEqual(oldKey.Id, keyId);
        var after = (await _kv.GetAsync(_keys.Secret("default", "a")))!.Value;
        Assert.NotEqual(Sealed(before).WrappedKey, Sealed(after).WrappedKey);
        Assert.NotEqual(Sealed(before).Ciphertext, Sealed(after).Ciphertext);
        // The key file now holds the new key only; a control plane given only that file reads everything.
        var reopened = EncryptionKeyRing.OpenOrCreate(_ring.Path);
        Assert.Equal([keyId], reopened.Ids);
        Assert.Equal(First, Password((await Store(reopened).OpenSecretAsync("default", "a"))!));
        Assert.Equal(Second, Password((await Store(reopened).OpenSecretAsync("default", "b"))!));
    }

    private static SealedValue Sealed(string raw) => Json.Deserialize<StoredSecret>(raw).Sealed;

    [Fact]
    public async Task A_control_plane_with_another_key_file_says_which_key_it_lacks_and_what_to_do()
    {
        await ApplyAsync(Secret("foreign", First));
        var otherDir = Path.Combine(_dir, "other");
        var other = EncryptionKeyRing.OpenOrCreate(Path.Combine(otherDir, "encryption.key"));

        var e = await Assert.ThrowsAsync<SecretUnreadableException>(() => Store(other).OpenSecretAsync("default", "foreign"));

        Assert.Equal($"secret default/foreign is sealed with key {_ring.Primary.Id}, which {other.Path} does not hold (it holds {other.Primary.Id}); " +
            "give every control plane the same --encryption-key-file", e.Message);
    }

    [Fact]
    public async Task A_sealed_value_copied_under_another_name_does_not_open()
    {
        await ApplyAsync(Secret("original", First));
        var raw = (await _kv.GetAsync(_keys.Secret("default", "original")))!.Value;
        var copy = Json.Deserialize<StoredSecret>(raw);
        copy = copy with { Metadata = copy.Metadata with { Name = "copy" } };
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Secret("default", "copy"), Json.Serialize(copy)));

        var e = await Assert.ThrowsAsync<SecretUnreadableException>(() => Store().OpenSecretAsync("default", "copy"));
        Assert.Contains("was changed or written under another name", e.Message);
    }

    [Fact]
    public async Task An_apply_larger_than_one_etcd_transaction_is_refused_whole_naming_the_way_out()
    {
        var big = Convert.ToBase64String(new byte[700_000]);
        SecretObject Big(string name) => new() { Metadata = new ObjectMeta { Name = name }, Data = new() { ["blob"] = big } };

        var e = await Assert.ThrowsAsync<ApplyTooLargeException>(() => ApplyAsync(Big("big-a"), Big("big-b")));

        Assert.EndsWith("more than the 1.4 MiB one etcd transaction may carry; apply large secrets or configs on their own", e.Message);
        Assert.Empty(await Store().ListSecretsAsync("default"));
        Assert.Equal(ApplyActions.Created, (await ApplyAsync(Big("big-a")))[0].Action);
    }

    [Fact]
    public async Task Configs_are_stored_listed_with_sizes_and_deleted()
    {
        var config = new ConfigObject { Metadata = new ObjectMeta { Name = "app" }, Data = new() { ["app.conf"] = "listen 8080\n" } };
        var created = await Store().ApplyAsync(new LoadResult { Configs = [config] }, dryRun: false);

        Assert.Equal(ApplyActions.Created, created[0].Action);
        Assert.Equal("listen 8080\n", (await Store().GetConfigAsync("default", "app"))!.Data["app.conf"]);
        Assert.Equal([new DataItem("app.conf", 12)], Assert.Single(await Store().ListConfigsAsync("default")).Keys);
        Assert.True(await Store().DeleteConfigAsync("default", "app"));
        Assert.Null(await Store().GetConfigAsync("default", "app"));
        Assert.False(await Store().DeleteConfigAsync("default", "app"));
    }
}
