using System.Net;
using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class GetTests
{
    private static readonly ServiceView Web = Samples.Service("web");
    private static readonly ServiceView Api = Samples.Service("api", ns: "team-a", image: "ghcr.io/acme/api:2", desired: 2, running: 1,
        pending: 1, age: TimeSpan.FromHours(3), pendingReason: "0/2 nodes available: 2 insufficient memory");

    [Theory]
    [InlineData("services")]
    [InlineData("service")]
    [InlineData("svc")]
    public async Task Services_list_every_namespace_in_an_aligned_table(string resource)
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });

        var run = await Orc.RunAsync(api, "get", resource);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "NAMESPACE   NAME   IMAGE                DESIRED   RUNNING   READY   PENDING   AGE   REASON",
            "default     web    nginx:1.27           3         3         3       0         5m",
            "team-a      api    ghcr.io/acme/api:2   2         1         1       1         3h    0/2 nodes available: 2 insufficient memory",
        ], run.OutLines);
    }

    [Fact]
    public async Task Services_wide_adds_ports()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services?namespace=team-a", new[] { Api });

        var run = await Orc.RunAsync(api, "get", "svc", "-n", "team-a", "-o", "wide");

        Assert.Equal(
        [
            "NAMESPACE   NAME   IMAGE                DESIRED   RUNNING   READY   PENDING   AGE   PORTS      REASON",
            "team-a      api    ghcr.io/acme/api:2   2         1         1       1         3h    8080/tcp   0/2 nodes available: 2 insufficient memory",
        ], run.OutLines);
    }

    [Fact]
    public async Task All_namespaces_wins_over_a_namespace()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web });

        var run = await Orc.RunAsync(api, "get", "svc", "-n", "team-a", "-A");

        Assert.Equal(0, run.ExitCode);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_named_service_is_looked_up_in_default_and_printed_as_its_manifest()
    {
        var detail = new ServiceDetail { Service = Web.Service, Status = Web.Status, Replicas = [Samples.Replica("web", 1, "a1", "n1")] };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", detail);

        var run = await Orc.RunAsync(api, "get", "svc", "web", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var manifest = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(("Service", "web", "nginx:1.27"), (manifest.GetProperty("kind").GetString(), manifest.GetProperty("metadata").GetProperty("name").GetString(),
            manifest.GetProperty("spec").GetProperty("image").GetString()));
        Assert.False(manifest.TryGetProperty("status", out _));
    }

    [Fact]
    public async Task A_list_as_json_is_an_array_of_manifests()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });

        var run = await Orc.RunAsync(api, "get", "svc", "-o", "json");

        Assert.Equal(["web", "api"], JsonDocument.Parse(run.Out).RootElement.EnumerateArray().Select(m => m.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Yaml_shows_the_same_fields_as_json()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes/n1", Samples.Node("n1", labels: ("zone", "1")));

        var run = await Orc.RunAsync(api, "get", "node", "n1", "-o", "yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("name: n1\n", run.Out);
        Assert.Contains("labels:\n  zone: \"1\"\n", run.Out);
        Assert.Contains("capacity:\n  milliCpu: 4000\n  memoryBytes: 8589934592\n", run.Out);
        Assert.Contains("state: ready\n", run.Out);
        Assert.DoesNotContain("agentSession", run.Out);
    }

    [Fact]
    public async Task Nodes_show_capacity_in_units_labels_and_heartbeat_age()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", new[]
        {
            Samples.Node("n1", labels: [("zone", "a"), ("disk", "ssd")]),
            Samples.Node("n2", milliCpu: 1500, memory: 512L << 20, cordoned: true, state: NodeState.NotReady),
        });

        var run = await Orc.RunAsync(api, "get", "nodes");

        Assert.Equal(
        [
            "NAME   STATE                         CPU     MEMORY   LABELS            HEARTBEAT   AGE",
            "n1     Ready                         4       8Gi      disk=ssd,zone=a   4s          2d",
            "n2     NotReady,SchedulingDisabled   1500m   512Mi    <none>            4s          2d",
        ], run.OutLines);
    }

    [Fact]
    public async Task Replicas_show_node_state_short_container_and_ports()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/replicas?service=web", new[]
        {
            Samples.Replica("web", 1, "a1b2c", "n1"),
            Samples.Replica("web", 2, "d3e4f", "n2", state: null),
        });

        var run = await Orc.RunAsync(api, "get", "replicas", "--service", "web");

        Assert.Equal(
        [
            "NAMESPACE   SERVICE   REPLICA       NODE   STATE     READY   CONTAINER      PORTS                       AGE   REASON",
            "default     web       web.1.a1b2c   n1     Running   no      4f2a9c1b7d3e   127.0.0.1:32768->8080/tcp   3h",
            "default     web       web.2.d3e4f   n2     Pending   no      <none>         <none>                      3h",
        ], run.OutLines);
    }

    [Fact]
    public async Task A_replica_that_cannot_start_and_its_service_say_why()
    {
        var waiting = Samples.Replica("nope", 1, "a1b2c", "vm", ReplicaState.Failed, hostPort: null) is var r
            ? r with { Status = r.Status! with { ContainerId = null, RestartCount = 0, Reason = ReplicaReasons.ImageNotFound,
                Message = "local/nope:1 is not on node vm", NextRestartAt = Orc.Now.AddSeconds(8) } }
            : null!;
        var nope = Samples.Service("nope", image: "local/nope:1", desired: 1, running: 0) is var v
            ? v with { Status = v.Status with { Ready = 0, Reason = "ImageNotFound: local/nope:1 is not on node vm" } }
            : null!;
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/replicas?service=nope", new[] { waiting })
            .Expect(HttpMethod.Get, "/api/v1/services", new[] { nope });

        var replicas = await Orc.RunAsync(api, "get", "replicas", "--service", "nope");
        var services = await Orc.RunAsync(api, "get", "services");

        Assert.Equal(
        [
            "NAMESPACE   SERVICE   REPLICA        NODE   STATE                              READY   CONTAINER   PORTS    AGE   REASON",
            "default     nope      nope.1.a1b2c   vm     ImageNotFound (next retry in 8s)   no      <none>      <none>   3h    ImageNotFound: local/nope:1 is not on node vm",
        ], replicas.OutLines);
        Assert.Equal(
        [
            "NAMESPACE   NAME   IMAGE          DESIRED   RUNNING   READY   PENDING   AGE   REASON",
            "default     nope   local/nope:1   1         0         0       0         5m    ImageNotFound: local/nope:1 is not on node vm",
        ], services.OutLines);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_named_replica_is_found_in_its_namespace_by_container_name_or_id()
    {
        // one fake per run: each run must make exactly its own request
        var twoReplicas = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/replicas?namespace=default", new[] { Samples.Replica("web", 1, "a1b2c", "n1"), Samples.Replica("web", 2, "d3e4f", "n2") });
        var oneReplica = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/replicas?namespace=default", new[] { Samples.Replica("web", 1, "a1b2c", "n1") });

        var byName = await Orc.RunAsync(twoReplicas, "get", "replica", "web.2.d3e4f", "-o", "json");
        var missing = await Orc.RunAsync(oneReplica, "get", "replica", "zzz");

        Assert.Equal("d3e4f", Json.Deserialize<ReplicaView>(byName.Out).Replica.Id);
        Assert.Equal((1, "error: replica \"default/zzz\" not found\n"), (missing.ExitCode, missing.Err));
    }

    [Fact]
    public async Task An_empty_list_says_so_on_stderr_and_succeeds()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<NodeInfo>());

        var run = await Orc.RunAsync(api, "get", "nodes");

        Assert.Equal((0, "", "No resources found.\n"), (run.ExitCode, run.Out, run.Err));
    }

    [Fact]
    public async Task An_unknown_node_is_named_in_the_error()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, "/api/v1/nodes/n9", HttpStatusCode.NotFound, "not found");

        var run = await Orc.RunAsync(api, "get", "node", "n9");

        Assert.Equal((1, "error: node \"n9\" not found\n"), (run.ExitCode, run.Err));
    }
}
