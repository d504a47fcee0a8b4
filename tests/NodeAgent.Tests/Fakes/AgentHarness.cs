using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.NodeAgent.Loop;
using Orchestrator.NodeAgent.Options;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>A running <see cref="Agent"/> on a given engine, talking to a <see cref="FakeControlPlane"/>, with short intervals.</summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public AgentHarness(IContainerRuntime engine, TimeSpan resync, bool apiDown = false, Action<FakeControlPlane>? configure = null)
    {
        Api.Down = apiDown;
        configure?.Invoke(Api);
        var options = new NodeAgentOptions
        {
            NodeName = "n1",
            Labels = "zone=a",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            ResyncInterval = resync,
            StatusInterval = TimeSpan.FromMilliseconds(200),
            StopTimeout = TimeSpan.Zero,
        };
        Agent = new Agent(options, engine, Api.Client(), TimeProvider.System, Logs());
        _run = Agent.RunAsync(_stop.Token);
    }

    /// <summary>Silent by default; ORC_TEST_LOG=1 shows the agent's own lines when a test needs explaining.</summary>
    private static ILoggerFactory Logs() => Environment.GetEnvironmentVariable("ORC_TEST_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(c => c.SingleLine = true))
        : NullLoggerFactory.Instance;

    /// <summary>A harness whose assignment stream has delivered <paramref name="assigned"/> as its first sync.</summary>
    public static async Task<AgentHarness> SyncedAsync(IContainerRuntime engine, TimeSpan resync, params Replica[] assigned)
    {
        var harness = new AgentHarness(engine, resync);
        var stream = await harness.Api.NextConnectionAsync();
        await stream.SyncAsync(1, assigned);
        return harness;
    }

    /// <summary>The replica's status in the latest report.</summary>
    public ReplicaStatus? Latest(string replicaId) =>
        Api.Reports.LastOrDefault()?.Replicas.SingleOrDefault(s => s.ReplicaId == replicaId);

    public FakeControlPlane Api { get; } = new();
    public Agent Agent { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }
}
