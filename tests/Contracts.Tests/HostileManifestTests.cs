using System.Diagnostics;
using System.Text;
using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>
/// Input written to hurt: each case is refused with one clear error at its file:line:column, quickly, and the loader
/// neither throws nor builds what the input would blow up into (docs/security.md, "Input limits").
/// </summary>
[Trait("Category", "Unit")]
public class HostileManifestTests
{
    private static ValidationError SingleError(LoadResult result)
    {
        Assert.False(result.Ok);
        return Assert.Single(result.Errors);
    }

    private static LoadResult Timed(Func<LoadResult> load)
    {
        var clock = Stopwatch.StartNew();
        var result = load();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        return result;
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_level_past_the_limit_before_the_composer_sees_it()
    {
        // 100,000 '[' overflowed the composer's stack: a crash of the whole process, not an exception.
        var error = SingleError(Timed(() => Load(new string('[', 100_000), "deep.yaml")));

        Assert.Equal("deep.yaml:1:65: nested more than 64 levels deep; a manifest needs far fewer", error.ToString());
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read_as_usual()
    {
        // 64 levels: the document is read and refused for what it is, not for its depth.
        var result = Load(new string('[', 64) + new string(']', 64), "deep.yaml");

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("nested"));
        Assert.Contains("a manifest document must be a mapping", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_refused_at_the_alias_that_exceeds_the_budget()
    {
        var yaml = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (var i = 1; i <= 9; i++)
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");

        var error = SingleError(Timed(() => Load(yaml.ToString(), "bomb.yaml")));

        Assert.Equal("bomb.yaml", error.File);
        Assert.InRange(error.Line, 2, 10);
        Assert.Contains("aliases expand this file by more than 1 MiB", error.Message);
    }

    [Fact]
    public void Many_aliases_of_one_long_text_are_refused()
    {
        var yaml = "big: &big " + new string('x', 60_000) + "\nlist:\n" + string.Concat(Enumerable.Repeat("  - *big\n", 20_000));

        var error = SingleError(Timed(() => Load(yaml, "copies.yaml")));

        // 17 copies of 60,001 fit in 1 MiB; the 18th, on line 3 + 17, does not.
        Assert.Equal(20, error.Line);
        Assert.Contains("aliases expand this file by more than 1 MiB", error.Message);
    }

    [Fact]
    public void A_self_referencing_alias_used_as_a_key_is_refused()
    {
        // 20 bytes that made the composer hash a mapping containing itself, forever.
        var error = SingleError(Timed(() => Load("&a {*a : 1}", "self.yaml")));

        Assert.Equal("self.yaml:1:5: an alias (*a) cannot be a mapping key; write the key itself", error.ToString());
    }

    [Fact]
    public void An_alias_used_as_a_key_is_refused()
    {
        var error = SingleError(Load(Lines("name: &n web", "*n : 1"), "key.yaml"));

        Assert.Equal("key.yaml:2:1: an alias (*n) cannot be a mapping key; write the key itself", error.ToString());
    }

    [Fact]
    public void A_self_referencing_alias_as_a_value_is_refused()
    {
        var error = SingleError(Load("&a [1, *a]", "loop.yaml"));

        Assert.Equal("loop.yaml:1:8: the alias *a is inside the node it refers to, which would never end", error.ToString());
    }

    [Fact]
    public void Aliases_within_the_budget_still_work()
    {
        var result = Load(Lines(
            "apiVersion: orchestrator/v1",
            "kind: Service",
            "metadata:",
            "  name: web",
            "  labels: &labels {app: web}",
            "spec:",
            "  image: local/web:1",
            "  placement:",
            "    nodeSelector: *labels"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("web", result.Services[0].Metadata.Labels["app"]);
    }

    [Fact]
    public void More_than_500_objects_are_refused_at_the_first_one_over()
    {
        var documents = Enumerable.Range(1, 600).Select(i => Service($"s{i}"));

        var error = SingleError(Timed(() => Load(string.Join("\n---\n", documents), "many.yaml")));

        // Each document is 7 lines and its separator one: document 501 starts on line 8 * 500 + 1.
        Assert.Equal("many.yaml:4001:1: more than 500 objects in one apply; apply them in several parts", error.ToString());
    }

    [Fact]
    public void The_object_limit_counts_every_file_of_the_apply()
    {
        var part = (int from) => string.Join("\n---\n", Enumerable.Range(from, 300).Select(i => Service($"s{i}")));

        var error = SingleError(Load(("a.yaml", part(1)), ("b.yaml", part(301))));

        Assert.Equal("b.yaml:1601:1", $"{error.File}:{error.Line}:{error.Column}");
        Assert.True(Load(("a.yaml", part(1)), ("b.yaml", part(301)[..part(301).IndexOf("---", 200 * 50)])).Errors
            .All(e => !e.Message.Contains("objects in one apply")));
    }

    [Fact]
    public void An_object_over_1_MiB_when_stored_is_refused_naming_it()
    {
        var env = Enumerable.Range(1, 40).Select(i => $"    V{i}: {new string('x', 30_000)}");

        var error = SingleError(Load(WithSpec(["  env:", .. env]), "huge.yaml"));

        Assert.Equal("huge.yaml:1:1: Service \"default/web\" is 1.1 MiB when stored, more than the 1 MiB one object may be", error.ToString());
    }

    public sealed record LimitCase(string Name, string Yaml, int Line, int Column, string Path, string Message);

    private static string Repeat(int count, Func<int, string> line) => string.Join("\n", Enumerable.Range(1, count).Select(line));

    private static readonly LimitCase[] Limits =
    [
        new("65 labels", Header.Replace("name: web", "name: web\n  labels:\n" + Repeat(65, i => $"    l{i}: x")), 6, 5,
            "metadata.labels", "at most 64 labels are allowed, got 65"),
        new("65 node selector labels", WithSpec("  placement:", "    nodeSelector:", Repeat(65, i => $"      l{i}: x")), 9, 7,
            "spec.placement.nodeSelector", "at most 64 labels are allowed, got 65"),
        new("a 10 MB label", Header.Replace("name: web", $"name: web\n  labels:\n    big: {new string('x', 10_000_000)}"), 6, 10,
            "metadata.labels.big", "must be empty, or at most 63 characters"),
        new("1001 env variables", WithSpec("  env:", Repeat(1001, i => $"    V{i}: x")), 8, 5, "spec.env", "at most 1000 variables are allowed, got 1001"),
        new("1001 env variables as a list", WithSpec("  env:", Repeat(1001, i => $"    - {{name: V{i}}}")), 8, 5, "spec.env",
            "at most 1000 variables are allowed, got 1001"),
        new("an env value over 32 KiB", WithSpec("  env:", $"    BIG: {new string('x', 33_000)}"), 8, 10, "spec.env.BIG",
            "must be text of at most 32 KiB"),
        new("an env list value over 32 KiB", WithSpec("  env:", $"    - {{name: BIG, value: {new string('x', 33_000)}}}"), 8, 26, "spec.env[0].value",
            "must be text of at most 32 KiB"),
        new("101 ports", WithSpec("  ports:", Repeat(101, i => $"    - containerPort: {i}")), 8, 5, "spec.ports", "at most 100 ports are allowed, got 101"),
        new("1001 command items", WithSpec("  command:", Repeat(1001, _ => "    - x")), 8, 5, "spec.command", "at most 1000 items are allowed, got 1001"),
        new("an argument over 32 KiB", WithSpec($"  args: [{new string('x', 33_000)}]"), 7, 10, "spec.args[0]", "must be text of at most 32 KiB"),
    ];

    public static TheoryData<string> LimitNames => new(Limits.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(LimitNames))]
    public void Counts_and_sizes_have_limits_named_in_the_error(string name)
    {
        var c = Limits.Single(l => l.Name == name);

        var error = SingleError(Load(c.Yaml, "limits.yaml"));

        Assert.Equal((c.Line, c.Column, c.Path), (error.Line, error.Column, error.Path));
        Assert.Contains(c.Message, error.Message);
        Assert.True(error.ToString().Length < 1000, "the message echoes at most the start of a long value");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("---\n---\n")]
    [InlineData("~\n")]
    public void A_file_without_objects_is_an_error(string content)
    {
        var error = SingleError(Load(content, "empty.yaml"));

        Assert.Equal("empty.yaml:1:1: no objects in empty.yaml", error.ToString());
    }

    [Fact]
    public void At_most_100_errors_are_sent_back_and_the_last_says_how_many_more()
    {
        var result = Load(string.Join("\n---\n", Enumerable.Range(1, 300).Select(i => $"doc{i}")), "noise.yaml");

        Assert.Equal(101, result.Errors.Count);
        Assert.Equal("and 200 more error(s) from here on; fix these first", result.Errors[^1].Message);
    }

    [Fact]
    public void The_preflight_counts_the_objects_of_a_file_for_the_cli()
    {
        Assert.Equal(new YamlPreflight.Result(null, 2), YamlPreflight.Scan(Service("a") + "\n---\n# nothing\n---\n" + Service("b"), "two.yaml"));
        Assert.Equal(new YamlPreflight.Result(null, 0), YamlPreflight.Scan("# nothing", "none.yaml"));
    }
}
