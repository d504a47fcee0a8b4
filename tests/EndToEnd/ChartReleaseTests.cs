using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// A release of charts/web through the whole path: install, scale up by upgrade, a rolling update by upgrade, rollback,
/// history and uninstall, on the machine's engine; and a chart with an invalid second template that writes nothing.
/// One story, because each step starts from where the previous one left the release.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ChartReleaseTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string Web = "default/demo-web";
    private static readonly string WebChart = Path.Join(Repo.Root, "charts", "web");

    private Task<CommandResult> Chart(params string[] args) => cluster.Orc(["chart", .. args, "--timeout", "2m"]);

    [Fact]
    public async Task Install_upgrade_roll_back_and_uninstall_the_web_chart()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var installed = await Chart("install", "demo", WebChart, "--set", "replicas=3", "--wait");
        var installSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var first = await cluster.RunningContainersAsync(Web);
        Assert.Equal(3, first.Count);
        var get = await cluster.Orc("get", "services");
        Assert.Matches(@"default\s+demo-web\s+demo\s+local/web:1", get.Stdout);

        // More replicas: two new containers, the first three untouched.
        var scaled = await Chart("upgrade", "demo", WebChart, "--set", "replicas=5", "--wait");
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync(Web)).Count == 5, TimeSpan.FromSeconds(30), "5 running");
        var five = await cluster.RunningContainersAsync(Web);
        Assert.Subset(five.Select(c => c.Id).ToHashSet(), first.Select(c => c.Id).ToHashSet());

        // A new image (values reset to values.yaml, as Helm's upgrade: 3 replicas): a rolling update to local/web:2.
        clock.Restart();
        var updated = await Chart("upgrade", "demo", WebChart, "--set", "image.tag=2", "--wait");
        var updateSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(updated.ExitCode == 0, updated.ToString());
        await Wait.UntilAsync(async () => await cluster.RunningContainersAsync(Web) is { Count: 3 } r && r.All(c => c.Image == "local/web:2"),
            TimeSpan.FromSeconds(60), "3 replicas of local/web:2");
        var revisions = await cluster.TryGetAsync<List<ServiceRevision>>("/api/v1/namespaces/default/services/demo-web/revisions");
        Assert.Equal(2, revisions!.Count);

        var back = await Chart("rollback", "demo", "1", "--wait");
        Assert.True(back.ExitCode == 0, back.ToString());
        await Wait.UntilAsync(async () => await cluster.RunningContainersAsync(Web) is { Count: 3 } r && r.All(c => c.Image == "local/web:1"),
            TimeSpan.FromSeconds(60), "3 replicas of local/web:1 after the rollback");

        var history = await cluster.Orc("chart", "history", "demo");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Matches(@"(?s)1\s+superseded.*install.*2\s+superseded.*upgrade.*3\s+superseded.*upgrade.*4\s+deployed.*rollback to 1", history.Stdout);

        var uninstalled = await cluster.Orc("chart", "uninstall", "demo");
        Assert.True(uninstalled.ExitCode == 0, uninstalled.ToString());
        await Wait.UntilAsync(async () => (await cluster.Docker.ContainersAsync(cluster.RunId, Web, runningOnly: false)).Count == 0,
            TimeSpan.FromSeconds(30), "no container of the release left");
        Assert.Equal("", (await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/releases/")).Stdout.Trim());
        Assert.Equal("", (await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/services/default/demo-web")).Stdout.Trim());
        var list = await cluster.Orc("chart", "list");
        Assert.Contains("No releases found.", list.Stderr);
        Measurements.Record($"orc chart install demo charts/web --set replicas=3 --wait: {installSeconds:F1} s; " +
            $"upgrade --set image.tag=2 --wait (rolling update, 5 -> 3 replicas of local/web:2): {updateSeconds:F1} s");
    }

    [Fact]
    public async Task A_chart_whose_second_template_is_invalid_installs_nothing()
    {
        var chart = Path.Join(cluster.WorkDir, "bad-chart");
        Directory.CreateDirectory(Path.Join(chart, "templates"));
        File.WriteAllText(Path.Join(chart, "Chart.yaml"), "name: bad\nversion: 0.1.0\n");
        File.WriteAllText(Path.Join(chart, "values.yaml"), "replicas: three\n");
        File.WriteAllText(Path.Join(chart, "templates", "a.yaml"), SleepService.Yaml("{{ Release.Name }}-a", 1));
        File.WriteAllText(Path.Join(chart, "templates", "b.yaml"), SleepService.Yaml("{{ Release.Name }}-b", 1)
            .Replace("replicas: 1", "replicas: {{ Values.replicas }}"));

        var install = await Chart("install", "bad", chart);
        Assert.True(install.ExitCode == 1, install.ToString());
        Assert.Matches(@"bad-chart/templates/b\.yaml:\d+:\d+ spec\.replicas: must be a whole number", install.Stderr);
        Assert.Equal("", (await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/releases/default/bad/")).Stdout.Trim());
        Assert.Equal("", (await cluster.Etcdctl("get", "--prefix", "--keys-only", "/orchestrator/services/default/bad-")).Stdout.Trim());
    }
}
