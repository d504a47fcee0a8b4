using System.Net.Http.Json;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Three hosts, three control planes, a three-member etcd (<see cref="ReplicatedControlPlaneCluster"/>): a large apply
/// runs whole, a replayed apply creates nothing, and kill -9 of the control plane every agent talks to during scales
/// loses no acknowledged write. Containers are counted from the hosts' engines.
/// </summary>
[Trait("Category", "EndToEnd")]
[TestCaseOrderer(OrderFromEnvironment.TypeName, OrderFromEnvironment.AssemblyName)]
public sealed class HighAvailabilityTests(ReplicatedControlPlaneCluster cluster) : IClassFixture<ReplicatedControlPlaneCluster>
{
    [Fact]
    public async Task Replicas_300_of_a_sleeper_in_one_apply_all_run_without_an_error()
    {
        var apply = await cluster.Orc("apply", "-f", cluster.Manifest("many.yaml", SleepService.Yaml("many", 300)));
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("error", apply.Stdout + apply.Stderr, StringComparison.OrdinalIgnoreCase);

        var started = DateTimeOffset.UtcNow;
        IReadOnlyDictionary<string, int> perHost = new Dictionary<string, int>();
        try
        {
            await Wait.UntilAsync(async () => (perHost = await cluster.RunningPerHostAsync("default", "many")).Values.Sum() == 300,
                TimeSpan.FromSeconds(180), "300 running sleepers in the engines");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; running per host: {string.Join(", ", perHost)}");
        }
        Console.WriteLine($"300 replicas running {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s after the apply returned: {string.Join(", ", perHost)}");
        // The API says the same once the agents' reports are in, and names no reason for anything pending.
        ServiceDetail? service = null;
        await Wait.UntilAsync(async () => (service = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/many"))?.Status.Running == 300,
            TimeSpan.FromSeconds(30), "the API to report 300 running");
        Assert.Equal((300, 0, null), (service!.Status.Desired, service.Status.Pending, service.Status.PendingReason));

        Assert.Equal(0, (await cluster.Orc("delete", "service", "many")).ExitCode);
    }

    [Fact]
    public async Task The_same_apply_replayed_100_times_creates_no_container()
    {
        var yaml = SleepService.Yaml("same", 3);
        var counters = cluster.Hosts.Select(h => h.Docker.CountCreates(cluster.RunId)).ToList();
        try
        {
            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("same.yaml", yaml))).ExitCode);
            await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "same") == 3, TimeSpan.FromSeconds(30), "3 running");
            // The count sees creates: the first apply's three.
            await Wait.UntilAsync(() => Task.FromResult(counters.Sum(c => c.Count) == 3), TimeSpan.FromSeconds(10), "the engines to report 3 creates");

            var request = new ApplyRequest { Files = [new ManifestFile { Name = "same.yaml", Content = yaml }] };
            var controlPlanes = cluster.LiveControlPlanes;
            for (var i = 1; i <= 100; i++)
            {
                // Round robin over the control planes: each one must see the stored object as it is.
                var controlPlane = controlPlanes[i % controlPlanes.Count];
                var response = await controlPlane.Http.PostAsJsonAsync("/api/v1/apply", request, Json.Options);
                response.EnsureSuccessStatusCode();
                var answer = await response.Content.ReadFromJsonAsync<ApplyResponse>(Json.Options);
                Assert.Equal(ApplyActions.Unchanged, answer!.Results.Single().Action);
            }
            // Long enough for a periodic reconcile pass (5 s) after the last replay to act on anything it would change.
            await Task.Delay(TimeSpan.FromSeconds(6));

            Assert.Equal(3, counters.Sum(c => c.Count));
        }
        finally
        {
            foreach (var c in counters) c.Dispose();
        }
        Assert.Equal(3, await cluster.CountRunningAsync("default", "same"));
    }

    [Fact]
    public async Task Kill_9_of_the_control_plane_the_agents_use_during_scales_loses_no_acknowledged_write()
    {
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("ha.yaml", SleepService.Yaml("ha", 2)))).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "ha") == 2, TimeSpan.FromSeconds(30), "2 running");
        // The agents were given the first control plane first: every one of them streams from it.
        var victim = cluster.ControlPlanes[0];
        var survivors = cluster.ControlPlanes.Skip(1).ToList();
        var streamsBefore = await StreamStartsAsync(survivors);

        // Scales one after the other through the same ORC_SERVER list; the victim dies after the first one returned.
        var acknowledged = 0;
        for (var replicas = 3; replicas <= 8; replicas++)
        {
            var scale = await cluster.Orc("scale", "service", "ha", "--replicas", replicas.ToString());
            Assert.True(scale.ExitCode == 0, $"scale to {replicas}: {scale}");
            acknowledged = replicas;
            if (replicas == 3) cluster.KillControlPlane(0);
        }
        var get = await cluster.Orc("get", "services");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("ha", get.Stdout);

        // Every acknowledged write is there, and runs: the service's grain and the placement answered from a survivor.
        var stored = await survivors[1].TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/ha");
        Assert.Equal(acknowledged, stored!.Service.Spec.Replicas);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "ha") == acknowledged, TimeSpan.FromSeconds(60),
            $"{acknowledged} running after the kill");

        // Every agent turned to a survivor and resumed its stream from its revision: no relist.
        foreach (var host in cluster.Hosts)
            Assert.Contains(File.ReadLines(Path.Combine(cluster.WorkDir, "testbed", host.Name, "agent.log")),
                l => l.Contains($"control plane {victim.ApiUrl}") && l.Contains("turning to"));
        var streamsAfter = await StreamStartsAsync(survivors);
        Assert.True(streamsAfter.Resume - streamsBefore.Resume >= cluster.Hosts.Count,
            $"resumed streams on the survivors: {streamsBefore} -> {streamsAfter}");
        Assert.Equal(streamsBefore.Sync, streamsAfter.Sync);
        Assert.Equal(streamsBefore.Expired, streamsAfter.Expired);
    }

    /// <summary>orchestrator_assignment_streams_total by start, summed over the given control planes.</summary>
    private async Task<(double Sync, double Resume, double Expired)> StreamStartsAsync(IEnumerable<ControlPlaneServer> controlPlanes)
    {
        var scrapes = await Task.WhenAll(controlPlanes.Select(c => PrometheusText.ScrapeAsync(c.Http, c.ApiUrl + "/metrics")));
        double Sum(string start) => scrapes.Sum(s => s.Value("orchestrator_assignment_streams_total", ("start", start)) ?? 0);
        return (Sum("sync"), Sum("resume"), Sum("expired"));
    }
}
