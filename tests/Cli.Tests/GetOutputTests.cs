using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>`get` filters and -o formats as kubectl users expect them, and output that apply takes back.</summary>
[Trait("Category", "Unit")]
public sealed class GetOutputTests
{
    private static readonly ServiceView Web = Samples.Service("web") with
    {
        Service = Samples.Service("web").Service with
        {
            Metadata = Samples.Service("web").Service.Metadata with { Uid = "u-123", ResourceVersion = 42, Labels = new() { ["app"] = "web", ["tier"] = "front" } },
            Spec = Samples.Service("web").Service.Spec with
            {
                Placement = new PlacementSpec { Constraints = [new NodeConstraint { Key = "zone", Operator = ConstraintOperator.In, Values = ["a", "b"] }] },
            },
        },
    };

    private static readonly ServiceView Api = Samples.Service("api", ns: "team-a");

    [Fact]
    public async Task Yaml_of_a_service_is_a_manifest_that_loads_back_to_the_same_object()
    {
        var api = WebAnswered(new FakeApi());

        var run = await Orc.RunAsync(api, "get", "svc", "web", "-o", "yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("apiVersion: orchestrator/v1\nkind: Service\nmetadata:\n  name: web\n", run.Out);
        Assert.Contains("operator: In\n", run.Out);
        Assert.DoesNotContain("status", run.Out);
        Assert.DoesNotContain("uid", run.Out);
        AssertLoadsBackAs(Web.Service, run.Out);
    }

    [Fact]
    public async Task Json_of_a_service_is_a_manifest_too()
    {
        var api = WebAnswered(new FakeApi());

        var run = await Orc.RunAsync(api, "get", "svc/web", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"operator\": \"In\"", run.Out);
        Assert.Contains("\"replicas\": 3", run.Out);
        Assert.DoesNotContain("\"service\"", run.Out);
        AssertLoadsBackAs(Web.Service, run.Out);
    }

    [Fact]
    public async Task A_list_as_yaml_is_one_document_per_service()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });

        var run = await Orc.RunAsync(api, "get", "svc", "-o", "yaml");

        var loaded = ManifestLoader.Load([new ManifestFile { Name = "out.yaml", Content = run.Out }]);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(["default/web", "team-a/api"], loaded.Services.Select(s => $"{s.Metadata.Namespace}/{s.Metadata.Name}"));
    }

    [Fact]
    public async Task Show_status_adds_the_status_section()
    {
        var api = WebAnswered(new FakeApi());

        var run = await Orc.RunAsync(api, "get", "svc", "web", "-o", "yaml", "--show-status");

        Assert.Contains("\nstatus:\n  desired: 3\n  assigned: 3\n  running: 3\n  ready: 3\n", run.Out);
    }

    [Fact]
    public async Task Name_output_is_kind_slash_name()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api })
            .Expect(HttpMethod.Get, "/api/v1/replicas", new[] { Samples.Replica("web", 1, "a1b2c", "n1") })
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { Samples.Node("n1") });

        var services = await Orc.RunAsync(api, "get", "svc", "-o", "name");
        var replicas = await Orc.RunAsync(api, "get", "po", "-o", "name");
        var nodes = await Orc.RunAsync(api, "get", "no", "-o", "name");

        Assert.Equal("service/web\nservice/api\n", services.Out);
        Assert.Equal("replica/web.1.a1b2c\n", replicas.Out);
        Assert.Equal("node/n1\n", nodes.Out);
        api.AssertAllAnswered();
    }

    [Theory]
    [InlineData("app=web", "service/web\n")]
    [InlineData("app!=web", "service/api\n")]
    [InlineData("app=web,tier!=front", "")]
    [InlineData("tier!=front", "service/api\n")]
    [InlineData("tier", "service/web\n")]
    [InlineData("!tier", "service/api\n")]
    public async Task A_selector_keeps_only_the_objects_whose_labels_match(string selector, string names)
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });

        var run = await Orc.RunAsync(api, "get", "svc", "-l", selector, "-o", "name");

        Assert.Equal((0, names), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task A_selector_applies_to_node_labels()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", new[] { Samples.Node("n1", labels: ("zone", "a")), Samples.Node("n2", labels: ("zone", "b")) });

        var run = await Orc.RunAsync(api, "get", "nodes", "-l", "zone=b", "-o", "name");

        Assert.Equal("node/n2\n", run.Out);
    }

    [Fact]
    public async Task Custom_columns_pick_fields_by_path()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });

        var run = await Orc.RunAsync(api, "get", "svc", "-o", "custom-columns=NAME:.metadata.name,PORT:.spec.ports[0].containerPort,READY:.status.ready,NOPE:.spec.nope");

        Assert.Equal(
        [
            "NAME   PORT   READY   NOPE",
            "web    8080   3       <none>",
            "api    8080   3       <none>",
        ], run.OutLines);
    }

    [Fact]
    public async Task Jsonpath_renders_a_template_over_the_list_or_the_object()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/services", new[] { Web, Api });
        WebAnswered(api);

        var list = await Orc.RunAsync(api, "get", "svc", "-o", "jsonpath={.items[*].metadata.name}");
        var one = await Orc.RunAsync(api, "get", "svc", "web", "-o", "jsonpath={.spec.image}{\"\\n\"}");

        Assert.Equal("web api\n", list.Out);
        Assert.Equal("nginx:1.27\n", one.Out);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Service_filter_without_a_namespace_asks_every_namespace_and_an_unknown_one_is_named()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/replicas?service=web", new[] { Samples.Replica("web", 1, "a1b2c", "n1") })
            .ExpectError(HttpMethod.Get, "/api/v1/replicas?service=nosuch", HttpStatusCode.NotFound, "service \"nosuch\" not found in any namespace");

        var run = await Orc.RunAsync(api, "get", "pods", "--service", "web", "-o", "name");
        var missing = await Orc.RunAsync(api, "get", "pods", "--service", "nosuch");

        Assert.Equal("replica/web.1.a1b2c\n", run.Out);
        Assert.Equal((1, "error: service \"nosuch\" not found in any namespace\n"), (missing.ExitCode, missing.Err));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Node_filter_and_namespace_go_into_the_query()
    {
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/replicas?namespace=team-a&service=api&node=n2", Array.Empty<ReplicaView>());

        var run = await Orc.RunAsync(api, "get", "replicas", "-n", "team-a", "--service", "api", "--node", "n2");

        Assert.Equal((0, "No resources found.\n"), (run.ExitCode, run.Err));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task All_namespaces_is_taken_everywhere()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/replicas", Array.Empty<ReplicaView>())
            .Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<NodeInfo>())
            .Expect(HttpMethod.Get, "/api/v1/events", new List<ClusterEvent>())
            .Expect(HttpMethod.Get, "/api/v1/top/services", new TopServices());

        foreach (var args in new[] { new[] { "get", "po", "-n", "x", "-A" }, ["get", "nodes", "-A"], ["events", "-A"], ["top", "svc", "-A"] })
            Assert.Equal(0, (await Orc.RunAsync(api, args)).ExitCode);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_name_with_all_namespaces_is_refused()
    {
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "get", "svc", "web", "-A");

        Assert.Equal((1, "error: a name is looked up in one namespace: use -n NAMESPACE instead of -A\n"), (run.ExitCode, run.Err));
        Assert.Empty(api.Received);
    }

    private static FakeApi WebAnswered(FakeApi api) =>
        api.Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", new ServiceDetail { Service = Web.Service, Status = Web.Status });

    private static void AssertLoadsBackAs(ServiceObject expected, string manifest)
    {
        var loaded = ManifestLoader.Load([new ManifestFile { Name = "out", Content = manifest }]);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var back = Assert.Single(loaded.Services);
        Assert.True(Json.SameContent(expected.Spec, back.Spec), $"{Json.Serialize(back.Spec)}\nwanted {Json.Serialize(expected.Spec)}");
        Assert.Equal(expected.Metadata.Labels, back.Metadata.Labels);
        Assert.Equal((expected.Metadata.Namespace, expected.Metadata.Name), (back.Metadata.Namespace, back.Metadata.Name));
    }
}
