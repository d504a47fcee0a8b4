using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>What the agent puts on /metrics: running containers per service, and the executor's starts, restarts and stops.</summary>
[Trait("Category", "Unit")]
public sealed class AgentMetricsTests
{
    private static ObservedContainer Container(string id, string? service, string state = ContainerStates.Running, string ns = "default")
    {
        var c = Builders.Container(id).State(state).Build();
        var labels = new Dictionary<string, string>(c.Labels);
        if (service is not null) (labels[ContainerLabels.Namespace], labels[ContainerLabels.Service]) = (ns, service);
        return c with { Labels = labels };
    }

    [Fact]
    public void Running_containers_are_counted_per_namespace_and_service()
    {
        ObservedContainer[] observed =
        [
            Container("a", "web"), Container("b", "web"), Container("c", "web", ContainerStates.Exited),
            Container("d", "api", ns: "team-a"), Container("e", "api", ContainerStates.Created, ns: "team-a"),
            Container("f", service: null),
        ];

        var measured = AgentInstruments.RunningByService(observed)
            .Select(m => $"{m.Tags.ToArray().Single(t => t.Key == "namespace").Value}/{m.Tags.ToArray().Single(t => t.Key == "service").Value}={m.Value}");

        Assert.Equal(["default/web=2", "team-a/api=1"], measured);
    }

    [Fact]
    public async Task The_executor_counts_starts_restarts_and_stops_by_service_and_times_the_start()
    {
        // A service name of its own: other tests in this assembly use the same static instruments at the same time.
        var service = "m" + Guid.NewGuid().ToString("N")[..8];
        var recorded = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == AgentInstruments.Name) l.EnableMeasurementEvents(i); };
        void Record(Instrument i, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags)
                if (t.Key == "service" && (string?)t.Value == service) recorded.Enqueue((i.Name, value));
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        var runtime = new FakeRuntime();
        var executor = new ActionExecutor(runtime, "n1", TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<ActionExecutor>.Instance);
        Replica first = Builders.Replica("r1").Service(service, 1), second = Builders.Replica("r2").Service(service, 2);
        await executor.ExecuteAsync([new CreateContainer(first), new CreateContainer(second)], CancellationToken.None);
        var exited = Container("old", service, ContainerStates.Exited);
        runtime.Add(exited);
        var removed = Container("gone", service);
        runtime.Add(removed);
        await executor.ExecuteAsync([new StartContainer(exited.Id, first), new RemoveContainer(removed.Id, removed.Name, RemoveReasons.NotAssigned)],
            CancellationToken.None, observed: [exited, removed]);

        var counts = recorded.GroupBy(r => r.Instrument).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["orchestrator.agent.container.starts"] = 2,
            ["orchestrator.agent.container.start.duration"] = 2,
            ["orchestrator.agent.container.restarts"] = 1,
            ["orchestrator.agent.container.stops"] = 1,
        }, counts);
        Assert.All(recorded.Where(r => r.Instrument == "orchestrator.agent.container.start.duration"), r => Assert.InRange(r.Value, 0, 5));
    }
}
