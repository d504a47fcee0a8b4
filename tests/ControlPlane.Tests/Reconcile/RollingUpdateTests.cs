using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

/// <summary>
/// The rolling update as the planner drives it, simulated step by step: what a plan places starts and becomes ready one
/// step later, what it terminates is gone one step later. Every step is checked against the budgets.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RollingUpdateTests
{
    private static readonly Dictionary<string, NodeView> Nodes = new() { ["n1"] = new(NodeState.Ready, false), ["n2"] = new(NodeState.Ready, false) };
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ServiceObject Service(string image, int replicas, UpdateStrategy? update = null) => new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec { Image = image, Replicas = replicas, UpdateStrategy = update },
    };

    private sealed class Simulation(ServiceObject service)
    {
        public ServiceObject Service { get; set; } = service;
        public List<Replica> Replicas { get; } = new();
        public Dictionary<string, ReplicaStatus> Statuses { get; } = new();
        public DateTimeOffset Now { get; set; } = T0;
        public int MaxTotal { get; private set; }
        public int MinAvailable { get; private set; } = int.MaxValue;
        public int Steps { get; private set; }
        private int _next;

        public void Start(string image, int replicas)
        {
            var spec = ContainerSpec.From(new ServiceSpec { Image = image });
            for (var slot = 1; slot <= replicas; slot++) Add(slot, spec, ready: true);
        }

        private Replica Add(int slot, ContainerSpec spec, bool ready)
        {
            var r = new Replica { Id = $"r{++_next}", Service = "web", Slot = slot, Node = _next % 2 == 0 ? "n1" : "n2", Container = spec, SpecHash = spec.Hash(), CreatedAt = Now };
            Replicas.Add(r);
            Statuses[r.Id] = new ReplicaStatus { ReplicaId = r.Id, State = ReplicaState.Running, Ready = ready, StartedAt = Now, ReadySince = ready ? Now : null };
            return r;
        }

        /// <summary>One reconcile; then time passes: placed ones run (not yet ready), earlier ones turn ready, terminated ones go.</summary>
        public ServicePlan Step(bool hold = false, Func<Replica, bool>? neverReady = null)
        {
            Steps++;
            var plan = ServiceReconciler.Plan(Service, Replicas, Nodes, Statuses, new RolloutInput(Now, hold));
            foreach (var r in plan.Remove) Replicas.Remove(r.Replica);
            foreach (var t in plan.Terminate)
            {
                var i = Replicas.IndexOf(t.Replica);
                Replicas[i] = t.Replica with { Terminating = true };
                Statuses[t.Replica.Id] = Statuses[t.Replica.Id] with { State = ReplicaState.Terminating, Ready = false };
            }
            var spec = ContainerSpec.From(Service.Spec);
            // What runs in the engines right after the plan was carried out.
            MaxTotal = Math.Max(MaxTotal, Replicas.Count + plan.Place.Count);
            MinAvailable = Math.Min(MinAvailable, Replicas.Count(r => !r.Terminating && Statuses[r.Id].Ready));
            Now += TimeSpan.FromSeconds(1);
            foreach (var r in Replicas.Where(r => r.Terminating).ToList()) Statuses[r.Id] = Statuses[r.Id] with { State = ReplicaState.Removed };
            foreach (var r in Replicas.Where(r => !r.Terminating && !Statuses[r.Id].Ready && neverReady?.Invoke(r) != true))
                Statuses[r.Id] = Statuses[r.Id] with { Ready = true, ReadySince = Now };
            foreach (var slot in plan.Place) Add(slot, spec, ready: false);
            return plan;
        }

        public bool Done(string image) =>
            Replicas.Count == Service.Spec.Replicas && Replicas.All(r => r.Container.Image == image && Statuses[r.Id].Ready);
    }

    [Theory]
    [InlineData("1", "1", UpdateOrder.StartFirst, 7, 5)]
    [InlineData("1", "1", UpdateOrder.StopFirst, 7, 5)]
    [InlineData("0", "1", UpdateOrder.StopFirst, 6, 5)]
    [InlineData("1", "0", UpdateOrder.StartFirst, 7, 6)]
    [InlineData("2", "0", UpdateOrder.StartFirst, 8, 6)]
    [InlineData("50%", "50%", UpdateOrder.StartFirst, 9, 3)]
    public void Six_replicas_roll_over_within_their_budgets(string surge, string unavailable, UpdateOrder order, int maxTotal, int minAvailable)
    {
        var update = new UpdateStrategy { MaxSurge = surge, MaxUnavailable = unavailable, Order = order };
        var sim = new Simulation(Service("local/web:2", 6, update));
        sim.Start("local/web:1", 6);
        var untouched = sim.Replicas.ToList();

        while (!sim.Done("local/web:2") && sim.Steps < 100) sim.Step();

        Assert.True(sim.Done("local/web:2"), $"not done after {sim.Steps} steps");
        Assert.True(sim.MaxTotal <= maxTotal, $"{sim.MaxTotal} replicas at once, allowed {maxTotal}");
        Assert.True(sim.MinAvailable >= minAvailable, $"{sim.MinAvailable} available at a time, required {minAvailable}");
        Assert.Equal(maxTotal, sim.MaxTotal);
        Assert.DoesNotContain(sim.Replicas, r => untouched.Contains(r));
    }

    [Fact]
    public void A_pure_scale_places_only_the_new_slots_and_touches_nothing_else()
    {
        var sim = new Simulation(Service("local/web:1", 8));
        sim.Start("local/web:1", 6);

        var plan = sim.Step();

        Assert.Equal([7, 8], plan.Place);
        Assert.Empty(plan.Remove);
        Assert.Empty(plan.Terminate);
    }

    [Fact]
    public void Held_rollout_replaces_nothing_but_a_missing_replica_is_still_placed()
    {
        var sim = new Simulation(Service("local/web:2", 3, new UpdateStrategy { MaxSurge = "1", MaxUnavailable = "1" }));
        sim.Start("local/web:1", 2);

        var plan = sim.Step(hold: true);

        Assert.Equal([3], plan.Place);
        Assert.Empty(plan.Terminate);
    }

    [Fact]
    public void A_successor_that_never_becomes_ready_stops_the_rollout_at_the_surge()
    {
        var sim = new Simulation(Service("local/web:3", 6, new UpdateStrategy { MaxSurge = "1", MaxUnavailable = "0" }));
        sim.Start("local/web:2", 6);

        for (var i = 0; i < 10; i++) sim.Step(neverReady: r => r.Container.Image == "local/web:3");

        Assert.Single(sim.Replicas, r => r.Container.Image == "local/web:3");
        Assert.Equal(6, sim.Replicas.Count(r => r.Container.Image == "local/web:2" && sim.Statuses[r.Id].Ready));
    }

    [Fact]
    public void Min_ready_seconds_hold_the_old_replica_until_the_successor_was_ready_long_enough()
    {
        var service = Service("local/web:2", 1, new UpdateStrategy { MaxSurge = "1", MaxUnavailable = "0", MinReadySeconds = 10 });
        var spec1 = ContainerSpec.From(new ServiceSpec { Image = "local/web:1" });
        var spec2 = ContainerSpec.From(service.Spec);
        var old = new Replica { Id = "old", Service = "web", Slot = 1, Node = "n1", Container = spec1, SpecHash = spec1.Hash() };
        var young = new Replica { Id = "new", Service = "web", Slot = 1, Node = "n2", Container = spec2, SpecHash = spec2.Hash(), CreatedAt = T0 };
        var statuses = new Dictionary<string, ReplicaStatus>
        {
            ["old"] = new() { ReplicaId = "old", State = ReplicaState.Running, Ready = true, ReadySince = T0.AddHours(-1) },
            ["new"] = new() { ReplicaId = "new", State = ReplicaState.Running, Ready = true, ReadySince = T0 },
        };

        var early = ServiceReconciler.Plan(service, [old, young], Nodes, statuses, new RolloutInput(T0.AddSeconds(4)));
        var late = ServiceReconciler.Plan(service, [old, young], Nodes, statuses, new RolloutInput(T0.AddSeconds(10)));

        Assert.Empty(early.Terminate);
        Assert.Equal(T0.AddSeconds(10), early.RetryAt);
        Assert.Equal(["old"], late.Terminate.Select(t => t.Replica.Id));
    }

    [Fact]
    public void A_terminating_replica_is_deleted_once_its_agent_reports_it_removed_and_not_before()
    {
        var service = Service("local/web:2", 1);
        var spec = ContainerSpec.From(new ServiceSpec { Image = "local/web:1" });
        var stopping = new Replica { Id = "old", Service = "web", Slot = 1, Node = "n1", Container = spec, SpecHash = spec.Hash(), Terminating = true };
        var running = new Dictionary<string, ReplicaStatus> { ["old"] = new() { ReplicaId = "old", State = ReplicaState.Terminating } };
        var removed = new Dictionary<string, ReplicaStatus> { ["old"] = new() { ReplicaId = "old", State = ReplicaState.Removed } };

        Assert.Empty(ServiceReconciler.Plan(service, [stopping], Nodes, running).Remove);
        Assert.Equal(["old:stopped"], ServiceReconciler.Plan(service, [stopping], Nodes, removed).Remove.Select(r => $"{r.Replica.Id}:{r.Reason}"));
        Assert.Equal(["old:node down"], ServiceReconciler.Plan(service, [stopping], new Dictionary<string, NodeView> { ["n1"] = new(NodeState.Down, false) }, running)
            .Remove.Select(r => $"{r.Replica.Id}:{r.Reason}"));
    }

    [Theory]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0", "0%", 4, 0, 1)]
    [InlineData("100%", "10%", 6, 6, 0)]
    [InlineData("3", "2", 6, 3, 2)]
    public void Budgets_resolve_like_kubernetes(string surge, string unavailable, int replicas, int wantSurge, int wantUnavailable) =>
        Assert.Equal((wantSurge, wantUnavailable), new UpdateStrategy { MaxSurge = surge, MaxUnavailable = unavailable }.Budgets(replicas));
}
