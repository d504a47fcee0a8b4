using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Tests;

/// <summary>`orc explain` and docs/manifest.md, both from the model the validator is checked against (ManifestSchemaTests).</summary>
public sealed class ExplainTests
{
    [Fact]
    public async Task Explain_prints_a_field_with_its_fields_and_needs_no_control_plane()
    {
        var run = await Orc.RunAsync(new FakeApi(), "explain", "svc.spec.updateStrategy");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("KIND:     Service", run.Out);
        Assert.Contains("FIELD:    spec.updateStrategy <object>", run.Out);
        Assert.Contains("  maxSurge\t<integer | percentage>", run.Out);
        Assert.Contains("default 25%", run.Out);
        Assert.Contains("  onFailure\t<string>", run.Out);
    }

    [Fact]
    public async Task Explain_marks_required_fields_and_takes_any_case_of_a_field()
    {
        var run = await Orc.RunAsync(new FakeApi(), "explain", "services.SPEC");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("FIELD:    spec <object> -required-", run.Out);
        Assert.Contains("  image\t<string> -required-", run.Out);
    }

    [Fact]
    public async Task Explain_recursive_prints_the_tree()
    {
        var run = await Orc.RunAsync(new FakeApi(), "explain", "service.spec.placement", "--recursive");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  affinity\t<object>\n    required\t<[]object>\n      labelSelector\t<map[string]string> -required-", run.Out.Replace("\r", ""));
    }

    [Theory]
    [InlineData("service.spec.replica", "error: service.spec has no field \"replica\"; its fields: image, command, args, env, replicas,")]
    [InlineData("service.spec.replicas.max", "error: service.spec.replicas is a integer and has no fields")]
    [InlineData("deployment", "error: unknown kind \"deployment\"; known: service, secret, config")]
    public async Task Explain_of_what_is_not_there_says_what_is(string path, string error)
    {
        var run = await Orc.RunAsync(new FakeApi(), "explain", path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith(error, run.Err);
    }

    [Fact]
    public void Docs_manifest_md_is_the_reference_the_model_makes()
    {
        var file = Path.Combine(Repo.Root(), "docs", "manifest.md");
        Assert.True(File.Exists(file), "docs/manifest.md is missing; write it with `./orc explain --reference > docs/manifest.md`");
        Assert.True(File.ReadAllText(file) == FieldReference.Markdown(),
            "docs/manifest.md differs from the model (src/Contracts/ManifestSchema.cs); write it again with `./orc explain --reference > docs/manifest.md`");
    }
}
