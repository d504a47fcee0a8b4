using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class ManifestLoaderTests
{
    [Fact]
    public void Reads_every_field_into_canonical_form()
    {
        var yaml = """
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: web
              namespace: shop
              labels: {app: web, example.com/tier: front}
            spec:
              image: local/web:1
              command: [httpd, -f]
              args: ["-p", "8080"]
              env:
                GREETING: hello
                PORT: 8080
                DEBUG: true
                EMPTY:
              replicas: 3
              resources:
                cpu: 0.25
                memory: 1.5Gi
              ports:
                - containerPort: 8080
                  hostPort: 80
                  name: http
                - containerPort: 53
                  protocol: UDP
            """;

        var result = Load(yaml);

        Assert.Empty(result.Errors);
        var expected = new ServiceObject
        {
            Metadata = new ObjectMeta
            {
                Name = "web",
                Namespace = "shop",
                Labels = new() { ["app"] = "web", ["example.com/tier"] = "front" },
            },
            Spec = new ServiceSpec
            {
                Image = "local/web:1",
                Command = ["httpd", "-f"],
                Args = ["-p", "8080"],
                Env = new() { ["GREETING"] = "hello", ["PORT"] = "8080", ["DEBUG"] = "true", ["EMPTY"] = "" },
                Replicas = 3,
                Resources = new ResourceSpec { Cpu = "250m", Memory = "1536Mi" },
                Ports =
                [
                    new PortSpec { ContainerPort = 8080, HostPort = 80, Protocol = "tcp", Name = "http" },
                    new PortSpec { ContainerPort = 53, Protocol = "udp" },
                ],
            },
        };
        AssertSame(expected, Assert.Single(result.Services));
    }

    [Fact]
    public void Applies_defaults_to_what_is_not_set()
    {
        var service = Assert.Single(Load(WithSpec("  ports: [{containerPort: 80}]")).Services);

        var expected = new ServiceObject
        {
            Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec
            {
                Image = "local/web:1",
                Ports = [new PortSpec { ContainerPort = 80, Protocol = "tcp" }],
            },
        };
        AssertSame(expected, service);
        Assert.Equal(("default", 1, 0L, 0L, null), (service.Metadata.Namespace, service.Spec.Replicas,
            service.Metadata.Generation, service.Metadata.ResourceVersion, service.Metadata.Uid));
        Assert.Null(service.Spec.Command);
        Assert.Null(service.Metadata.CreatedAt);
    }

    [Theory]
    [InlineData("empty value", "  replicas:")]
    [InlineData("tilde", "  replicas: ~")]
    [InlineData("null", "  replicas: null")]
    public void A_field_written_as_null_is_not_set(string name, string line)
    {
        var service = Assert.Single(Load(WithSpec(line)).Services);

        Assert.True(service.Spec.Replicas == 1, name);
    }

    [Fact]
    public void Env_as_a_Kubernetes_list_equals_env_as_a_map()
    {
        var list = Load(WithSpec("  env:", "    - name: A", "      value: x", "    - name: B")).Services;
        var map = Load(WithSpec("  env: {A: x, B: ''}")).Services;

        Assert.Equal(new Dictionary<string, string> { ["A"] = "x", ["B"] = "" }, Assert.Single(list).Spec.Env);
        Assert.Equal(Assert.Single(list).Spec.Env, Assert.Single(map).Spec.Env);
    }

    [Fact]
    public void One_port_number_may_serve_tcp_and_udp()
    {
        var yaml = WithSpec("  ports:", "    - {containerPort: 53, hostPort: 53}", "    - {containerPort: 53, hostPort: 53, protocol: udp}");

        Assert.Equal(2, Assert.Single(Load(yaml).Services).Spec.Ports.Count);
    }

    [Fact]
    public void Several_documents_in_a_file_come_out_in_order_and_empty_ones_are_skipped()
    {
        var yaml = "---\n# nothing here\n---\n" + Service("a") + "\n---\n" + Service("b") + "\n---\n---\n" + Service("c") + "\n...\n";

        var result = Load(yaml);

        Assert.Empty(result.Errors);
        Assert.Equal(["a", "b", "c"], result.Services.Select(s => s.Metadata.Name));
    }

    [Theory]
    [InlineData("empty file", "")]
    [InlineData("only comments", "# no services yet\n")]
    [InlineData("only separators", "---\n---\n")]
    public void A_file_without_documents_is_an_error_that_names_it(string name, string yaml)
    {
        // It was once "applied" with exit 0: a person who saved the wrong file was told all was well.
        var result = Load(yaml);

        Assert.Equal("web.yaml:1:1: no objects in web.yaml", Assert.Single(result.Errors).ToString());
        Assert.Empty(result.Services);
        Assert.False(result.Ok, name);
    }

    [Fact]
    public void Files_load_as_a_whole_in_the_order_given()
    {
        var result = Load(("front.yaml", Service("web") + "\n---\n" + Service("api")), ("back.yaml", Service("db")));

        Assert.Empty(result.Errors);
        Assert.Equal(["web", "api", "db"], result.Services.Select(s => s.Metadata.Name));
    }

    [Fact]
    public void The_same_name_in_two_namespaces_is_two_objects()
    {
        var result = Load(Service("web", "prod") + "\n---\n" + Service("web", "test"));

        Assert.Equal(["prod/web", "test/web"], result.Services.Select(s => s.Key));
    }

    [Fact]
    public void One_bad_document_among_good_ones_loads_nothing()
    {
        var result = Load(("a.yaml", Service("a") + "\n---\n" + Service("b")), ("c.yaml", Service("c").Replace("local/web:1", "'local web'")));

        Assert.Empty(result.Services);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("c.yaml", "spec.image"), (error.File, error.Path));
    }

    [Fact]
    public void Errors_of_every_file_are_reported_together()
    {
        var result = Load(("a.yaml", WithSpec("  replicas: x")), ("b.yaml", "kind: ["), ("c.yaml", WithSpec("  replica: 1").Replace("web", "c")));

        Assert.Equal(["a.yaml", "b.yaml", "c.yaml"], result.Errors.Select(e => e.File));
    }

    private static void AssertSame(ServiceObject expected, ServiceObject actual) =>
        Assert.True(Json.SameContent(expected, actual), $"expected\n{Json.Serialize(expected, indented: true)}\ngot\n{Json.Serialize(actual, indented: true)}");
}
