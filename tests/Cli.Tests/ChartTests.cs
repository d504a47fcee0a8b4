using Orchestrator.Contracts;
using Orchestrator.Orc.Charts;

namespace Orchestrator.Orc.Tests;

/// <summary>Charts: reading a chart folder, values (values.yaml, -f, --set), rendering with Fluid, and every error located.</summary>
[Trait("Category", "Unit")]
public sealed class ChartTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orc-chart-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Template = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata:
          name: {{ Release.Name }}-web
          namespace: {{ Release.Namespace }}
        spec:
          image: {{ Values.image.repository }}:{{ Values.image.tag }}
          replicas: {{ Values.replicas }}
        """;

    private string ChartWith(string template = Template, string values = "replicas: 2\nimage: {repository: local/web, tag: 1}\n")
    {
        Write("Chart.yaml", "name: web\nversion: 1.0.0\nappVersion: \"1\"\n");
        Write("values.yaml", values);
        Write("templates/web.yaml", template);
        return folder;
    }

    private static readonly ReleaseContext Demo = new("demo", "team-a", 3);

    private static async Task<CliException> Fails(Func<Task> render) => await Assert.ThrowsAsync<CliException>(render);

    [Fact]
    public async Task Values_release_and_chart_are_in_scope_and_set_beats_files_beats_values_yaml()
    {
        var chart = Chart.Load(ChartWith());
        ChartValues.Merge(chart.Values, ChartValues.Parse("image: {tag: 2}\nreplicas: 4\n", "prod.yaml"));
        ChartValues.Set(chart.Values, "replicas=7");

        var files = await ChartRenderer.RenderAsync(chart, chart.Values, Demo);

        var text = Assert.Single(files).Content;
        Assert.Contains("name: demo-web", text);
        Assert.Contains("namespace: team-a", text);
        Assert.Contains("image: local/web:2", text);
        Assert.Contains("replicas: 7", text);
        Assert.Equal(Path.Join(folder, "templates", "web.yaml"), files[0].Name);
        Assert.Equal(new ChartInfo { Name = "web", Version = "1.0.0", AppVersion = "1" }, chart.Info);
    }

    [Fact]
    public async Task A_value_nobody_set_is_an_error_naming_the_template_line_and_the_values_path()
    {
        var chart = Chart.Load(ChartWith(Template.Replace("Values.image.tag", "Values.image.tagg")));

        var error = await Fails(() => ChartRenderer.RenderAsync(chart, chart.Values, Demo));

        var detail = Assert.Single(error.Details);
        Assert.Equal($"{Path.Join(folder, "templates", "web.yaml")}:7:43 Values.image.tagg: is not set: add it to values.yaml (null is fine), a -f file or --set",
            detail.ToString());
    }

    [Fact]
    public async Task A_template_that_does_not_parse_names_its_line_and_column()
    {
        var chart = Chart.Load(ChartWith(Template + "\n{% if Values.replicas %}\n"));

        var error = await Fails(() => ChartRenderer.RenderAsync(chart, chart.Values, Demo));

        var detail = Assert.Single(error.Details);
        Assert.Equal(9, detail.Line);
        Assert.StartsWith("template error: '{% endif %}' was expected", detail.Message);
    }

    [Fact]
    public async Task A_template_that_renders_to_nothing_is_left_out()
    {
        ChartWith();
        Write("templates/optional.yaml", "{% if Values.replicas > 5 %}\nkind: Service\n{% endif %}\n");

        var chart = Chart.Load(folder);
        var files = await ChartRenderer.RenderAsync(chart, chart.Values, Demo);

        Assert.Equal(["web.yaml"], files.Select(f => Path.GetFileName(f.Name)));
    }

    // Hostile charts: each is stopped by a limit with a message that names it, and nothing is rendered.
    [Theory]
    [InlineData("huge range", "{% for i in (1..100000000) %}x{% endfor %}", "stopped: a range of 100000000 items, more than 100000")]
    [InlineData("huge range from a value", "{% for i in (1..Values.n) %}x{% endfor %}", "stopped: a range of 1000000000 items")]
    [InlineData("many steps", "{% for i in (1..100000) %}{% for j in (1..10) %}x{% endfor %}{% endfor %}", "stopped: more than 100000 steps")]
    [InlineData("nested loops", "{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}", "stopped: more than 100000 steps")]
    [InlineData("output bomb", "{% for i in (1..5000) %}{{ Values.big }}{{ Values.big }}{% endfor %}", "renders to more than 1 MiB")]
    public async Task A_hostile_template_is_stopped_by_a_limit(string name, string template, string message)
    {
        _ = name;
        var chart = Chart.Load(ChartWith(template, values: $"big: {new string('x', 200)}\nn: 1000000000\n"));

        var error = await Fails(() => ChartRenderer.RenderAsync(chart, chart.Values, Demo));

        Assert.Contains(message, Assert.Single(error.Details).Message);
    }

    [Fact]
    public void A_chart_file_over_256_KiB_is_refused_by_name()
    {
        ChartWith(Template + "\n#" + new string('x', 300 << 10));
        var path = Path.Join(folder, "templates", "web.yaml");

        var error = Assert.Throws<CliException>(() => Chart.Load(folder));

        Assert.Equal($"{path} is 300.2 KiB, more than the 256 KiB a chart file may be", error.Message);
    }

    [Fact]
    public void Chart_yaml_errors_name_the_line_and_what_is_allowed()
    {
        var error = Assert.Throws<CliException>(() => Chart.ReadInfo("Chart.yaml", "name: Web\nversoin: 1\n"));

        Assert.Equal([
            "Chart.yaml:2:1 versoin: unknown field \"versoin\"; allowed: apiVersion, name, version, description, appVersion (did you mean \"version\"?)",
            "Chart.yaml:1:1 name: must be at most 63 characters: lower-case letters, digits and '-', starting and ending with a letter or digit, got \"Web\"",
            "Chart.yaml:1:1 version: required: the chart's version, like 1.0.0",
        ], error.Details.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("replicas=3", "replicas", 3L)]
    [InlineData("image.tag=2", "image.tag", 2L)]
    [InlineData("image.tag=v2", "image.tag", "v2")]
    [InlineData("debug=true", "debug", true)]
    [InlineData("ratio=0.5", "ratio", 0.5)]
    [InlineData("a.b.c=", "a.b.c", null)]
    public void Set_reads_a_value_as_YAML_reads_a_plain_scalar(string assignment, string path, object? expected)
    {
        var values = new Dictionary<string, object?>();
        ChartValues.Set(values, assignment);

        object? value = values;
        foreach (var segment in path.Split('.')) value = ((Dictionary<string, object?>)value!)[segment];
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("replicas", "must be PATH=VALUE")]
    [InlineData("=3", "must be PATH=VALUE")]
    [InlineData("a..b=3", "must be PATH=VALUE")]
    [InlineData("replicas.x=3", "replicas is the value 2, not a mapping")]
    public void A_bad_set_names_itself(string assignment, string message)
    {
        var values = new Dictionary<string, object?> { ["replicas"] = 2L };

        var error = Assert.Throws<CliException>(() => ChartValues.Set(values, assignment));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_values_file_that_is_not_a_mapping_names_its_line()
    {
        var error = Assert.Throws<CliException>(() => ChartValues.Parse("- a\n- b\n", "prod.yaml"));

        Assert.Equal("prod.yaml:1:1: must be a mapping like \"replicas: 3\"", Assert.Single(error.Details).ToString());
    }

    [Fact]
    public async Task Orc_chart_template_prints_each_rendered_file_with_its_source()
    {
        ChartWith();

        var run = await Orc.RunAsync(new FakeApi(), "chart", "template", folder, "--name", "demo", "--set", "replicas=5");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"---\n# Source: {Path.Join(folder, "templates", "web.yaml")}\napiVersion: orchestrator/v1\n", run.Out);
        Assert.Contains("  replicas: 5\n", run.Out);
    }

    [Fact]
    public async Task Orc_chart_install_with_a_template_error_exits_1_and_sends_nothing()
    {
        ChartWith(Template.Replace("Values.replicas", "Values.replica"));
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "chart", "install", "demo", folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 1 error(s) rendering chart web; nothing was sent", run.Err);
        Assert.Contains("web.yaml:8:16 Values.replica: is not set", run.Err);
        api.AssertAllAnswered();
        Assert.Empty(api.Received);
    }
}

/// <summary>The repository's own charts render with their default values into manifests the server accepts.</summary>
[Trait("Category", "Unit")]
public sealed class RepositoryChartTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Join(dir.FullName, "charts"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no charts/ folder above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData("web", new[] { "demo-web" })]
    [InlineData("shop", new[] { "demo-api", "demo-front", "demo-store" })]
    public async Task A_repository_chart_renders_to_valid_services(string name, string[] services)
    {
        var chart = Chart.Load(Path.Join(RepoRoot(), "charts", name));

        var files = await ChartRenderer.RenderAsync(chart, chart.Values, new ReleaseContext("demo", "shop-test", 1));
        var loaded = ManifestLoader.Load(files);

        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(services, loaded.Services.Select(s => s.Metadata.Name).Order());
        Assert.All(loaded.Services, s => Assert.Equal("shop-test", s.Metadata.Namespace));
    }

    [Fact]
    public async Task The_shop_chart_makes_its_secret_and_scripts_and_every_tier_finds_the_next_by_name()
    {
        var chart = Chart.Load(Path.Join(RepoRoot(), "charts", "shop"));
        var values = new Dictionary<string, object?>(chart.Values) { ["store"] = new Dictionary<string, object?>((Dictionary<string, object?>)chart.Values["store"]!) { ["password"] = "p@ss: \"x\"" } };

        var loaded = ManifestLoader.Load(await ChartRenderer.RenderAsync(chart, values, new ReleaseContext("demo", "default", 1)));

        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var secret = Assert.Single(loaded.Secrets);
        Assert.Equal(("demo-store", "p@ss: \"x\""), (secret.Metadata.Name, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.Data["password"]))));
        Assert.Equal(["index.html", "kv", "pass"], Assert.Single(loaded.Configs).Data.Keys.Order());
        var byName = loaded.Services.ToDictionary(s => s.Metadata.Name);
        Assert.Equal("demo-store", byName["demo-api"].Spec.Env!["STORE_HOST"]);
        Assert.Equal("demo-api", byName["demo-front"].Spec.Env!["API_HOST"]);
        Assert.Equal(["demo-api", "demo-store"], loaded.Services.Where(s => s.Spec.EnvRefs?.ContainsKey("KV_PASSWORD") == true).Select(s => s.Metadata.Name).Order());
        Assert.Equal(VolumeReclaimPolicy.Retain, byName["demo-store"].Spec.Volumes!.Single(v => v.Name == "data").ReclaimPolicy);
        Assert.Equal(30480, Assert.Single(byName["demo-front"].Spec.Ports).PublishedPort);
    }
}
