using System.Collections.Concurrent;
using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

[Trait("Category", "Unit")]
public sealed class ReconcilePassTests
{
    private static readonly string[] Services = ["default/a", "default/poison", "default/b", "prod/c", "prod/d", "prod/e", "prod/f", "prod/g", "prod/h", "prod/i"];

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public async Task A_service_that_throws_is_given_back_and_every_other_one_is_still_reconciled(int parallelism)
    {
        var reconciled = new ConcurrentBag<string>();

        var failures = await ReconcilePass.RunAsync(Services, async key =>
        {
            await Task.Yield();
            if (key == "default/poison") throw new InvalidOperationException("placement cannot read its replicas");
            reconciled.Add(key);
        }, parallelism, CancellationToken.None);

        Assert.Equal(Services.Where(s => s != "default/poison").Order(), reconciled.Order());
        var (service, error) = Assert.Single(failures);
        Assert.Equal(("default/poison", "placement cannot read its replicas"), (service, error.Message));
    }

    [Fact]
    public async Task Every_failure_is_given_back_not_only_the_first()
    {
        var failures = await ReconcilePass.RunAsync(Services, key => key.StartsWith("prod/") ? throw new TimeoutException(key) : Task.CompletedTask,
            4, CancellationToken.None);

        Assert.Equal(Services.Where(s => s.StartsWith("prod/")).Order(), failures.Select(f => f.Key).Order());
    }

    [Fact]
    public async Task Stopping_ends_the_pass_instead_of_counting_as_failures()
    {
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReconcilePass.RunAsync(Services, async _ =>
        {
            await stop.CancelAsync();
            stop.Token.ThrowIfCancellationRequested();
        }, 1, stop.Token));
    }
}
