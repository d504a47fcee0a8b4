namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class ManifestYamlTests
{
    private static ServiceObject Service(Func<ServiceSpec, ServiceSpec>? spec = null, Func<ObjectMeta, ObjectMeta>? meta = null) => new()
    {
        Metadata = (meta ?? (m => m))(new ObjectMeta { Name = "web" }),
        Spec = (spec ?? (s => s))(new ServiceSpec { Image = "local/web:1" }),
    };

    private static readonly Dictionary<string, ServiceObject> Objects = new()
    {
        ["only what is required"] = Service(),
        ["every field"] = Service(
            s => s with
            {
                Command = ["httpd", "-f"],
                Args = ["-p", "8080"],
                Env = new() { ["GREETING"] = "hello", ["PORT"] = "8080" },
                Replicas = 3,
                Resources = new ResourceSpec { Cpu = "250m", Memory = "64Mi" },
                Ports =
                [
                    new PortSpec { ContainerPort = 8080, HostPort = 80, Name = "http" },
                    new PortSpec { ContainerPort = 53, Protocol = "udp" },
                    new PortSpec { ContainerPort = 9090, Name = "metrics", PublishedPort = 30090 },
                ],
            },
            m => m with
            {
                Namespace = "shop",
                Labels = new() { ["app"] = "web", ["example.com/tier"] = "front" },
                Generation = 4,
                ResourceVersion = 1234,
            }),
        ["text that looks like other YAML values"] = Service(s => s with
        {
            Env = new()
            {
                ["BOOL"] = "true", ["NUMBER"] = "3", ["FLOAT"] = "1.5e3", ["NULL"] = "null", ["TILDE"] = "~", ["EMPTY"] = "",
                ["HEX"] = "0x1F", ["INF"] = "-.inf",
            },
        }),
        ["text YAML must quote"] = Service(s => s with
        {
            Command = ["sh", "-c", "echo \"a: b\" # not a comment; exit 0", "- dash", "  leading space", "trailing space ", "'single'"],
            Env = new() { ["MULTILINE"] = "line 1\nline 2\n", ["BRACES"] = "{x}", ["STAR"] = "*anchor", ["UNICODE"] = "grüße ✓" },
        }),
        ["empty command differs from no command"] = Service(s => s with { Command = [], Args = [] }),
        ["zero replicas"] = Service(s => s with { Replicas = 0 }),
        ["every placement rule"] = Service(s => s with
        {
            Placement = new PlacementSpec
            {
                Strategy = PlacementStrategy.Binpack,
                NodeSelector = new() { ["zone"] = "a" },
                Constraints = [new NodeConstraint { Key = "disk", Operator = ConstraintOperator.In, Values = ["ssd", "nvme"] },
                               new NodeConstraint { Key = "gpu", Operator = ConstraintOperator.DoesNotExist }],
                Tolerations = [new Toleration { Key = "dedicated", Operator = TolerationOperator.Equal, Value = "db", Effect = TaintEffect.NoSchedule },
                               new Toleration { Key = "maintenance", Operator = TolerationOperator.Exists }],
                MaxPerNode = 2,
                Affinity = new AffinitySpec { Required = [new AffinityTerm { LabelSelector = new() { ["app"] = "cache" }, TopologyKey = "node.name" }] },
                AntiAffinity = new AffinitySpec { Preferred = [new AffinityTerm { Weight = 50, LabelSelector = new() { ["app"] = "web" }, TopologyKey = "zone" }] },
                TopologySpread = [new TopologySpreadConstraint { TopologyKey = "zone", MaxSkew = 1 }],
            },
        }),
        ["only memory"] = Service(s => s with { Resources = new ResourceSpec { Memory = "1536Mi" } }),
        ["long command"] = Service(s => s with
        {
            Command = ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \"working on item $i of a list that is long enough to wrap\"; sleep 5; done"],
        }),
    };

    public static TheoryData<string> ObjectNames => new(Objects.Keys);

    [Theory]
    [MemberData(nameof(ObjectNames))]
    public void Written_manifest_loads_to_an_equal_object(string name)
    {
        var yaml = ManifestYaml.Write(Objects[name]);

        var result = ManifestLoader.Load([new ManifestFile { Name = "written.yaml", Content = yaml }]);

        Assert.True(result.Ok, yaml + "\n" + string.Join("\n", result.Errors));
        Assert.True(Json.SameContent(Objects[name], Assert.Single(result.Services)),
            $"{yaml}\nloaded as\n{Json.Serialize(result.Services[0], indented: true)}");
    }

    [Fact]
    public void Writes_the_manifest_format_a_person_would()
    {
        var service = Service(s => s with
        {
            Env = new() { ["PORT"] = "8080" },
            Replicas = 2,
            Resources = new ResourceSpec { Cpu = "100m" },
            Ports = [new PortSpec { ContainerPort = 8080 }],
        }, m => m with { Generation = 2 });

        Assert.Equal("""
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: web
              namespace: default
              generation: 2
            spec:
              image: local/web:1
              env:
                PORT: "8080"
              replicas: 2
              resources:
                cpu: 100m
              ports:
              - containerPort: 8080
                protocol: tcp

            """.ReplaceLineEndings("\n"), ManifestYaml.Write(service).ReplaceLineEndings("\n"));
    }
}
