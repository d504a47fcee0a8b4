using System.Diagnostics;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// One service the control plane cannot reconcile never stops the others: here its etcd holds a replica record that
/// no Replica reads as, the way a foreign or corrupted write would leave it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class FailureIsolationTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Healing = TimeSpan.FromSeconds(10);

    private async Task<IReadOnlyList<ContainerInfo>> RunningAsync(string service, int count)
    {
        IReadOnlyList<ContainerInfo> running = [];
        await Wait.UntilAsync(async () => (running = await cluster.RunningContainersAsync($"default/{service}")).Count == count,
            TimeSpan.FromSeconds(30), $"{count} running {service}");
        return running;
    }

    [Fact]
    public async Task A_poison_service_is_marked_stuck_with_its_reason_and_every_other_service_keeps_healing()
    {
        foreach (var name in new[] { "steady", "poison" })
            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest($"{name}.yaml", SleepService.Yaml(name, 1)))).ExitCode);
        var steady = Assert.Single(await RunningAsync("steady", 1));
        await RunningAsync("poison", 1);

        var put = await cluster.Etcdctl("put", "/orchestrator/replicas/default/poison/0badc0", "{not json");
        Assert.Equal(0, put.ExitCode);

        // The poison service says why it is stuck, naming the record.
        CommandResult describe = default!;
        await Wait.UntilAsync(async () => (describe = await cluster.Orc("describe", "service", "poison")).Stdout.Contains("Stuck:"),
            TimeSpan.FromSeconds(15), "orc describe service poison to show it stuck");
        Assert.Contains("reconcile failed: /orchestrator/replicas/default/poison/0badc0 in etcd is not a readable Replica", describe.Stdout);
        Assert.Contains("ReconcileFailed", describe.Stdout);

        // The healthy one's container, removed, is back within 10 s.
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, (await cluster.Docker.RemoveForceAsync(steady.Id)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/steady")) is [var back] && back.Id != steady.Id,
            Healing, "steady to run again after docker rm -f");
        var back = clock.Elapsed;

        // Placement, which reads every service's replicas, still places the healthy one's new replicas.
        Assert.Equal(0, (await cluster.Orc("scale", "service", "steady", "--replicas", "2")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/steady")).Count == 2, Healing, "2 running steady after a scale");

        // A replica of the healthy service deleted behind the control plane's back is placed again by the periodic pass.
        var replicaKeys = await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/replicas/default/steady/");
        var removed = replicaKeys.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Equal(0, (await cluster.Etcdctl("del", removed)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/replicas/default/steady/"))
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } keys && !keys.Contains(removed),
            Healing, "the deleted replica of steady to be placed again");

        var services = await cluster.Orc("get", "services");
        Assert.Equal(0, services.ExitCode);
        Assert.Contains("steady", services.Stdout);
        Assert.Contains("poison", services.Stdout);
        Console.WriteLine($"steady back after docker rm -f in {back.TotalSeconds:0.0}s beside a stuck service");
    }
}
