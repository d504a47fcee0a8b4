using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Loop;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The whole agent against a fake control plane and a fake engine: what it does when, and what it never does.</summary>
[Trait("Category", "Unit")]
public sealed class AgentLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly Replica A = Replica("aaaaa");
    private static readonly Replica B = Replica("bbbbb").Service("web", 2);

    private readonly FakeRuntime _engine = new();
    private AgentHarness? _harness;

    private FakeControlPlane _api => _harness!.Api;
    private Agent _agent => _harness!.Agent;

    public Task InitializeAsync() => Task.CompletedTask;

    private void Start(bool apiDown = false) => _harness = new AgentHarness(_engine, TimeSpan.FromMilliseconds(300), apiDown);

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Api_down_from_the_start_removes_nothing_and_restarts_what_crashed()
    {
        _engine.Add(Container("c1").Of(A));
        _engine.Add(Container("c2").Of(B).Exited(137));
        _engine.Add(Container("stray"));
        Start(apiDown: true);

        await Eventually.HoldsAsync(() => _agent.ReconcilePasses >= 3, Wait, "several reconcile passes");
        Assert.Equal(["start c2"], _engine.Calls);
        Assert.Equal(3, _engine.Containers.Count);
        Assert.All(_engine.Containers.Where(c => c.ReplicaId is not null), c => Assert.True(c.IsRunning));
    }

    [Fact]
    public async Task Api_down_after_a_sync_keeps_containers_and_still_repairs_drift()
    {
        Start();
        var stream = await _api.NextConnectionAsync();
        await stream.SyncAsync(3, A);
        await Eventually.HoldsAsync(() => _engine.Containers.Count == 1, Wait, "replica created");

        _api.Down = true;
        stream.Close();
        var passes = _agent.ReconcilePasses;
        await Eventually.HoldsAsync(() => _agent.ReconcilePasses >= passes + 3, Wait, "reconciles while the API is down");
        Assert.DoesNotContain(_engine.Calls, c => c.StartsWith("remove", StringComparison.Ordinal));

        _engine.RemoveBehindTheAgentsBack(_engine.Containers.Single().Id);
        await Eventually.HoldsAsync(() => _engine.Containers.Count == 1, Wait, "replica recreated while the API is down");
        Assert.Equal(["create aaaaa", "create aaaaa"], _engine.Calls);
    }

    [Fact]
    public async Task Delete_event_removes_and_sync_without_the_replica_removes()
    {
        Start();
        var stream = await _api.NextConnectionAsync();
        await stream.SyncAsync(3, A, B);
        await Eventually.HoldsAsync(() => _engine.Containers.Count == 2, Wait, "both created");

        await stream.SendAsync(new AssignmentEvent { Type = AssignmentEventType.Delete, Revision = 4, ReplicaId = A.Id });
        await Eventually.HoldsAsync(() => _engine.Containers.All(c => c.ReplicaId == B.Id) && _engine.Containers.Count == 1, Wait, "A removed");

        await stream.SyncAsync(5);
        await Eventually.HoldsAsync(() => _engine.Containers.Count == 0, Wait, "B removed by a sync that lacks it");
    }

    [Fact]
    public async Task Registers_heartbeats_with_the_revision_and_registers_again_after_404()
    {
        Start();
        var stream = await _api.NextConnectionAsync();
        await stream.SyncAsync(12, A);
        await Eventually.HoldsAsync(() => _api.Heartbeats.Any(h => h.ObservedRevision == 12), Wait, "heartbeat with revision 12");
        var registration = Assert.Single(_api.Registrations);
        Assert.Equal(_agent.Session.Id, registration.AgentSession);
        Assert.Equal("a", registration.Labels["zone"]);
        Assert.Equal("127.0.0.1", registration.Address);
        Assert.Equal("https://127.0.0.1:7071", registration.AgentUrl);

        _api.ForgetNode = true;
        await Eventually.HoldsAsync(() => _api.Registrations.Count == 2, Wait, "registered again after 404");
        Assert.All(_api.Registrations, r => Assert.Equal(_agent.Session.Id, r.AgentSession));
    }

    [Fact]
    public async Task Failed_registrations_back_off_and_the_next_that_succeeds_registers()
    {
        _engine.Add(Container("c1").Of(A));
        _harness = new AgentHarness(_engine, TimeSpan.FromMilliseconds(300), apiDown: false, configure: api => api.RegistrationFails = true);
        await Task.Delay(TimeSpan.FromSeconds(4));
        // At the harness's 100 ms heartbeat interval that would be about 40 attempts; doubling from 100 ms (0.1, 0.2, 0.4,
        // 0.8, 1.6 s, each +-20 %) makes 5 to 7.
        Assert.InRange(_api.RegistrationAttempts, 4, 9);

        _api.RegistrationFails = false;
        await Eventually.HoldsAsync(() => _api.Registrations.Count == 1, TimeSpan.FromSeconds(20), "registered once the control plane answers");
        await Eventually.HoldsAsync(() => _api.Heartbeats.Count >= 3, Wait, "heartbeats at their own pace after it");
    }

    [Fact]
    public async Task Status_reports_every_assigned_replica()
    {
        Start();
        var stream = await _api.NextConnectionAsync();
        await stream.SyncAsync(3, A, B);
        await Eventually.HoldsAsync(() => _api.Reports.Any(r => r.Replicas.Count == 2 && r.Replicas.All(s => s.State == ReplicaState.Running)), Wait, "both reported running");

        var report = _api.Reports.Last(r => r.Replicas.Count == 2);
        Assert.Equal(_agent.Session.Id, report.AgentSession);
        Assert.All(report.Replicas, s =>
        {
            Assert.Equal("n1", s.Node);
            Assert.NotNull(s.ContainerId);
        });
    }
}
