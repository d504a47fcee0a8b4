using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>A replica whose container cannot be created is retried with back-off, its reason in the status meanwhile.</summary>
[Trait("Category", "Unit")]
public sealed class StartRetryTests
{
    private static readonly Exception NoSuchImage =
        new("Docker API responded with status code=NotFound, response={\"message\":\"No such image: local/nope:1\"}\n");

    private readonly ManualTime _time = new();
    private readonly FakeRuntime _runtime = new();
    private readonly ActionExecutor _executor;
    private readonly Replica _replica = Replica("r1").Service("web").Image("local/nope:1");

    public StartRetryTests() =>
        _executor = new ActionExecutor(_runtime, "vm", TimeSpan.FromSeconds(1), _time, NullLogger<ActionExecutor>.Instance);

    /// <summary>One reconcile pass as the loop runs it: plan from the engine, execute, and the status that results.</summary>
    private async Task<(ExecutionResult Result, ReplicaStatus Status)> PassAsync()
    {
        var observed = await _runtime.ListAsync(CancellationToken.None);
        var result = await _executor.ExecuteAsync(AgentReconciler.Plan([_replica], observed, _executor.Records), CancellationToken.None, observed);
        var status = ReplicaStatuses.Build([_replica], await _runtime.ListAsync(CancellationToken.None), _executor.Records, "vm", _time.Now).Single();
        return (result, status);
    }

    private int CreateAttempts => _runtime.Calls.Count(c => c.StartsWith("create r1", StringComparison.Ordinal));

    [Fact]
    public async Task Retries_a_failed_create_after_1s_doubling_to_30s_then_runs_once_the_image_is_there()
    {
        _runtime.CreateFails = _ => NoSuchImage;

        var (first, status) = await PassAsync();
        Assert.Equal(1, CreateAttempts);
        Assert.Equal((ReplicaState.Failed, ReplicaReasons.ImageNotFound, "local/nope:1 is not on node vm"), (status.State, status.Reason, status.Message));
        Assert.Equal(_time.Now + TimeSpan.FromSeconds(1), status.NextRestartAt);
        // A failed create is not a failed removal: the revision still counts as applied.
        Assert.Equal(0, first.Failed);
        // The loop wakes for the retry, not only at its next resync.
        Assert.Equal(TimeSpan.FromSeconds(1), first.RetryIn);

        var waits = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            // Passes before the wait is over (an engine event, an assignment) ask the engine nothing.
            var (early, _) = await PassAsync();
            var attempts = CreateAttempts;
            Assert.NotNull(early.RetryIn);
            waits.Add(early.RetryIn!.Value.TotalSeconds);
            _time.Now += early.RetryIn.Value - TimeSpan.FromMilliseconds(1);
            await PassAsync();
            Assert.Equal(attempts, CreateAttempts);
            _time.Now += TimeSpan.FromMilliseconds(1);
            var (retried, _) = await PassAsync();
            Assert.Equal(attempts + 1, CreateAttempts);
            Assert.Equal(TimeSpan.FromSeconds(Math.Min(30, 2 * waits[^1])), retried.RetryIn);
        }
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits);

        // The image is built: the next retry creates it, and the reason is gone.
        _runtime.CreateFails = _ => null;
        _time.Now += TimeSpan.FromSeconds(30);
        var (_, running) = await PassAsync();
        Assert.Equal((ReplicaState.Running, null, null), (running.State, running.Reason, running.NextRestartAt));
        Assert.Equal(0, running.RestartCount);
    }

    [Fact]
    public async Task A_first_start_that_failed_and_then_worked_is_no_restart()
    {
        // The create went through but the start did not (a port taken meanwhile): the container stays "created".
        _runtime.Add(Container("c1").Of(_replica).State(ContainerStates.Created));
        var start = new StartContainer("c1", _replica) { NeverStarted = true };
        _runtime.CreateFails = _ => null;

        await _executor.ExecuteAsync([start], CancellationToken.None);

        var status = ReplicaStatuses.Build([_replica], await _runtime.ListAsync(CancellationToken.None), _executor.Records, "vm", _time.Now).Single();
        Assert.Equal((ReplicaState.Running, 0), (status.State, status.RestartCount));
    }
}
