using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The engine is the ground truth of every "no container left" check, so an engine that does not answer must fail
/// the test, never read as "no containers".
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DockerReadingTests
{
    // A socket nobody listens on: `docker ps` exits 1 with "Cannot connect to the Docker daemon".
    private static readonly Infrastructure.Docker Silent = new($"unix://{Path.Combine(Path.GetTempPath(), "no-engine-" + Guid.NewGuid().ToString("N")[..8] + ".sock")}");

    [Fact]
    public async Task An_engine_that_does_not_answer_fails_a_container_listing()
    {
        var e = await Assert.ThrowsAsync<EngineError>(() => Silent.ContainersAsync("e2e-none", "default/web", runningOnly: false));
        Assert.Contains("docker ps failed", e.Message);
        await Assert.ThrowsAsync<EngineError>(() => Silent.ClusterContainerIdsAsync("e2e-none"));
        await Assert.ThrowsAsync<EngineError>(() => Silent.RunningCountAsync("e2e-none", "default/web"));
    }

    [Fact]
    public async Task A_cluster_without_containers_reads_as_none_on_an_engine_that_answers()
    {
        var docker = new Infrastructure.Docker();
        await docker.RequireEngineAsync();
        Assert.Empty(await docker.ClusterContainerIdsAsync("e2e-none-" + Guid.NewGuid().ToString("N")[..8]));
    }

    [Fact]
    public async Task A_restart_shorter_than_any_sample_is_counted_from_the_engines_events()
    {
        // Not an e2e- cluster: no test cluster's sweep of stale containers takes it for its own.
        var cluster = "reading-" + Guid.NewGuid().ToString("N")[..8];
        var docker = new Infrastructure.Docker();
        var run = await ProcessRunner.RunAsync("docker", ["run", "-d", "--label", $"{ContainerLabels.Cluster}={cluster}",
            "--label", $"{ContainerLabels.Namespace}=default", "--label", $"{ContainerLabels.Service}=blink", "local/busybox:1", "sleep", "3600"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Stdout.Trim();
        try
        {
            await using var log = await RunningCountLog.StartAsync([docker], cluster, "default/blink");
            // die and start again within a fraction of a second: a `docker ps` before and after sees 1 running both times
            var restart = await ProcessRunner.RunAsync("docker", ["restart", "-t", "0", id]);
            Assert.True(restart.ExitCode == 0, restart.ToString());
            Assert.Equal(1, await docker.RunningCountAsync(cluster, "default/blink"));

            Assert.Equal((0, 1), await log.MinMaxAsync());
        }
        finally
        {
            await ProcessRunner.RunAsync("docker", ["rm", "-f", id]);
        }
    }
}
