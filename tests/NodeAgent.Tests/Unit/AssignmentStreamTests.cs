using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The assignment stream of docs/api.md against a fake control plane: sync, put, delete, bookmark, expired, disconnects.</summary>
[Trait("Category", "Unit")]
public sealed class AssignmentStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeControlPlane _api = new();
    private readonly AssignmentSet _set = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;

    public Task InitializeAsync()
    {
        var client = new ControlPlaneClient(_api.Client(), "n1");
        _watch = new AssignmentWatch(client, _set, TimeProvider.System, NullLogger<AssignmentWatch>.Instance).RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
    }

    private string[] Ids() => _set.Snapshot().Select(r => r.Id).Order().ToArray();

    [Fact]
    public async Task Sync_then_put_and_delete_are_applied_in_order()
    {
        var connection = await _api.NextConnectionAsync();
        Assert.Equal("", connection.Query);
        await connection.SyncAsync(5, Replica("aaaaa"), Replica("bbbbb"));
        await connection.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Put, Revision = 6, Replica = Replica("ccccc") });
        await connection.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Delete, Revision = 7, ReplicaId = "aaaaa" });
        await connection.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Bookmark, Revision = 9 });

        await Eventually.HoldsAsync(() => _set.Revision == 9, Wait, "bookmark revision applied");
        Assert.True(_set.Known);
        Assert.Equal(["bbbbb", "ccccc"], Ids());
    }

    [Fact]
    public async Task Disconnect_resumes_from_the_last_applied_revision()
    {
        var first = await _api.NextConnectionAsync();
        await first.SyncAsync(5, Replica("aaaaa"));
        await first.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Put, Revision = 8, Replica = Replica("bbbbb") });
        await Eventually.HoldsAsync(() => _set.Revision == 8, Wait, "put applied");
        first.Close();

        var second = await _api.NextConnectionAsync();
        Assert.Equal("?resourceVersion=8", second.Query);
        Assert.Equal(["aaaaa", "bbbbb"], Ids());
    }

    [Fact]
    public async Task Expired_relists_and_the_next_sync_is_the_whole_truth()
    {
        var first = await _api.NextConnectionAsync();
        await first.SyncAsync(5, Replica("aaaaa"), Replica("bbbbb"));
        await Eventually.HoldsAsync(() => _set.Revision == 5, Wait, "sync applied");
        first.Close();

        var resumed = await _api.NextConnectionAsync();
        Assert.Equal("?resourceVersion=5", resumed.Query);
        await resumed.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Expired, Revision = 40 });
        resumed.Close();

        var relist = await _api.NextConnectionAsync();
        Assert.Equal("", relist.Query);
        await relist.SyncAsync(41, Replica("bbbbb"), Replica("ccccc"));
        await Eventually.HoldsAsync(() => _set.Revision == 41, Wait, "relist sync applied");
        Assert.Equal(["bbbbb", "ccccc"], Ids());
    }

    [Fact]
    public async Task Api_down_keeps_the_assignment_set()
    {
        var first = await _api.NextConnectionAsync();
        await first.SyncAsync(5, Replica("aaaaa"));
        await Eventually.HoldsAsync(() => _set.Known, Wait, "sync applied");
        _api.Down = true;
        first.Close();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(["aaaaa"], Ids());

        _api.Down = false;
        var back = await _api.NextConnectionAsync();
        Assert.Equal("?resourceVersion=5", back.Query);
    }
}
