using System.Net;
using System.Net.Http.Json;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The files people already have, applied as they are on the machine's engine: a Compose file in the shape of Docker's
/// example voting app runs every replica, with its published port, its named volume and its secret, and goes down
/// again, taking its secret with it and keeping the volume's data (as docker compose down does); privileged, network_mode: host and build are refused
/// naming each key and line, by orc and by the server alike; the Kubernetes docs' nginx Deployment runs 3 replicas; a
/// StatefulSet is refused by its kind.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ComposeKubernetesTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static string Example(string folder, string name) => Path.Join(Repo.Root, "examples", folder, name);

    [Fact]
    public async Task The_voting_app_runs_and_goes_down_and_refused_keys_are_named_with_their_lines()
    {
        var voting = Example("compose", "voting-app.yaml");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var up = await cluster.Orc("compose", "up", "-f", voting, "--wait", "--timeout", "2m");
        var upSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(up.ExitCode == 0, up.ToString());
        (string Name, int Replicas, string Image)[] services = [("vote", 2, "local/web:1"), ("result", 1, "local/web:2"), ("redis", 1, "local/web:1"), ("worker", 1, "local/busybox:1"), ("db", 1, "local/busybox:1")];
        foreach (var (name, replicas, image) in services)
            await Wait.UntilAsync(async () => await cluster.RunningContainersAsync($"default/{name}") is var running && running.Count == replicas && running.All(c => c.Image == image),
                TimeSpan.FromSeconds(60), $"{replicas} running replica(s) of {name} ({image})");
        // Translated, not just accepted: the store answers on the port its entrypoint was given, the worker runs its loop.
        var redis = (await cluster.RunningContainersAsync("default/redis")).Single();
        Assert.Equal(0, (await cluster.Docker.ExecAsync(redis.Id, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:6379/")).ExitCode);
        var worker = await cluster.Orc("logs", "worker", "--tail", "5");
        Assert.Contains("processing votes", worker.Stdout);
        // The published port is vote's publishedPort (this one-engine cluster opens none: the testbed's NodePort test does);
        // the database reads its password where Compose puts it and writes to its named volume, a shared Docker volume.
        var vote = (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/vote"))!;
        Assert.Equal([(8080, (int?)30500)], vote.Service.Spec.Ports.Select(p => (p.ContainerPort, p.PublishedPort)));
        var db = (await cluster.RunningContainersAsync("default/db")).Single();
        var password = await cluster.Docker.ExecAsync(db.Id, "cat", "/run/secrets/postgres_password");
        Assert.True(password.ExitCode == 0, password.ToString());
        Assert.Equal(File.ReadAllText(Example("compose", "postgres_password.txt")), password.Stdout);
        Assert.Equal(0, (await cluster.Docker.ExecAsync(db.Id, "sh", "-c", "echo kept > /var/lib/postgresql/data/marker")).ExitCode);
        Assert.Contains("orc.default.db.db-data.shared", await cluster.Docker.ClusterVolumesAsync(cluster.RunId));
        Assert.Contains("postgres-password", (await cluster.Orc("get", "secrets")).Stdout);

        var refused = Example("compose", "refused.yaml");
        var cli = await cluster.Orc("apply", "-f", refused);
        Assert.Equal(1, cli.ExitCode);
        foreach (var where in new[] { "5:5 services.admin.privileged", "8:5 services.proxy.network_mode", "10:5 services.app.build" })
            Assert.Contains($"{refused}:{where}: ", cli.Stderr);
        // The server translates what it is sent the same way: a Compose file posted as it is gets the same answer.
        using var raw = await cluster.Http.PostAsJsonAsync("/api/v1/apply",
            new ApplyRequest { Files = [new ManifestFile { Name = "refused.yaml", Content = File.ReadAllText(refused) }] }, Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
        var error = Json.Deserialize<ApiError>(await raw.Content.ReadAsStringAsync());
        Assert.Equal(["5:5 services.admin.privileged", "8:5 services.proxy.network_mode", "10:5 services.app.build", "10:5 services.app.image"],
            error.Details.Select(d => $"{d.Line}:{d.Column} {d.Path}"));

        var down = await cluster.Orc("compose", "down", "-f", voting, "--wait", "--timeout", "1m");
        Assert.True(down.ExitCode == 0, down.ToString());
        foreach (var (name, _, _) in services)
            Assert.Empty(await cluster.Docker.ContainersAsync(cluster.RunId, $"default/{name}", runningOnly: false));
        var secrets = await cluster.Orc("get", "secrets");
        Assert.True(secrets.ExitCode == 0 && !secrets.Stdout.Contains("postgres-password"), $"the secret outlived compose down: {secrets}");
        Assert.Contains("orc.default.db.db-data.shared", await cluster.Docker.ClusterVolumesAsync(cluster.RunId));
        Measurements.Record($"orc compose up -f examples/compose/voting-app.yaml --wait (5 services, 6 replicas, a volume and a secret): {upSeconds:F1} s");
    }

    [Fact]
    public async Task The_kubernetes_docs_nginx_deployment_runs_three_replicas_and_a_statefulset_is_refused_by_its_kind()
    {
        var nginx = Example("kubernetes", "nginx-deployment.yaml");
        var applied = await cluster.Orc("apply", "-f", nginx, "--wait", "--timeout", "2m");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("service/nginx-deployment created", applied.Stdout);
        await Wait.UntilAsync(async () => await cluster.RunningContainersAsync("default/nginx-deployment") is { Count: 3 } running && running.All(c => c.Image == "local/web:1"),
            TimeSpan.FromSeconds(60), "3 running replicas of nginx-deployment");

        var statefulSet = Example("kubernetes", "statefulset.yaml");
        var refused = await cluster.Orc("apply", "-f", statefulSet);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{statefulSet}:3:7 kind: apps/v1 StatefulSet is not supported; supported: apps/v1 Deployment, v1 Service, v1 ConfigMap, v1 Secret", refused.Stderr);

        var deleted = await cluster.Orc("delete", "-f", nginx, "--wait");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
    }
}
