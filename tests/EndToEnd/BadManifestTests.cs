using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>Bad input is refused whole, with file, line and field, and etcd stays as it was.</summary>
[Trait("Category", "EndToEnd")]
public sealed class BadManifestTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private async Task<string> ServicesInEtcdAsync()
    {
        var get = await cluster.Etcdctl("get", "--prefix", "/orchestrator/services/");
        Assert.Equal(0, get.ExitCode);
        return get.Stdout;
    }

    [Fact]
    public async Task An_invalid_document_refuses_the_whole_apply_and_names_line_and_field()
    {
        var good = cluster.Manifest("good.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: steady}
            spec:
              image: local/busybox:1
              command: ["sleep", "3600"]
              replicas: 1
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", good)).ExitCode);
        var before = await ServicesInEtcdAsync();

        // One valid change and one invalid document in the same apply: neither may be written.
        var bad = cluster.Manifest("bad.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: steady}
            spec:
              image: local/busybox:1
              command: ["sleep", "3600"]
              replicas: 4
            ---
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: broken}
            spec:
              image: local/busybox:1
              replicas: three
            """);
        var result = await cluster.Orc("apply", "-f", bad);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("bad.yaml:14:13 spec.replicas", result.Stderr);
        Assert.Contains("three", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
        Assert.Equal(before, await ServicesInEtcdAsync());
    }

    [Theory]
    [InlineData("malformed YAML", "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: x\n", "syntax.yaml:")]
    [InlineData("unknown field", "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: x}\nspec:\n  image: a\n  replica: 2\n", "spec.replica")]
    [InlineData("negative replicas", "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: x}\nspec:\n  image: a\n  replicas: -1\n", "spec.replicas")]
    [InlineData("name that is not a DNS label", "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: Web_1}\nspec:\n  image: a\n", "metadata.name")]
    [InlineData("unknown kind", "apiVersion: orchestrator/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  image: a\n", "kind")]
    public async Task Each_kind_of_bad_input_is_refused_with_its_location(string name, string yaml, string expected)
    {
        var before = await ServicesInEtcdAsync();
        var file = cluster.Manifest(name == "malformed YAML" ? "syntax.yaml" : "case.yaml", yaml);

        var result = await cluster.Orc("apply", "-f", file);

        Assert.True(result.ExitCode != 0, $"{name}: {result}");
        Assert.Contains(expected, result.Stderr);
        Assert.Matches(@"\.yaml:\d+:\d+", result.Stderr);
        Assert.Equal(before, await ServicesInEtcdAsync());
    }
}
