using System.Diagnostics;
using System.Net;
using System.Text;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Manifests written to hurt the control plane, sent to the real API as `orc` would send them: each is refused with
/// a clear 4xx within 2 s, the process stays healthy and about as big as it was, and etcd holds nothing of them.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HostileInputTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(2);
    private const long MemoryAllowance = 200L << 20;

    public sealed record Hostile(string Name, HttpStatusCode Status, string Error, Func<string> Content, bool Chunked = false);

    private static string Service(string name) =>
        $"apiVersion: orchestrator/v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  image: local/busybox:1\n";

    private static string BillionLaughs()
    {
        var yaml = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (var i = 1; i <= 9; i++) yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        return yaml.ToString();
    }

    private static readonly Hostile[] Cases =
    [
        new("100,000 nested [", HttpStatusCode.BadRequest, "hostile.yaml:1:65: nested more than 64 levels deep", () => new string('[', 100_000)),
        new("a billion-laughs alias bomb", HttpStatusCode.BadRequest, "aliases expand this file by more than 1 MiB", BillionLaughs),
        new("a self-referencing alias key", HttpStatusCode.BadRequest, "hostile.yaml:1:5: an alias (*a) cannot be a mapping key", () => "&a {*a : 1}"),
        new("a 9 MB manifest", HttpStatusCode.RequestEntityTooLarge, "larger than the limit of 4 MiB",
            () => Service("big") + "  env:\n" + string.Concat(Enumerable.Range(1, 300).Select(i => $"    V{i}: {new string('x', 30_000)}\n"))),
        new("600 documents", HttpStatusCode.BadRequest, "more than 500 objects in one apply",
            () => string.Join("---\n", Enumerable.Range(1, 600).Select(i => Service($"s{i}")))),
        new("one 10 MB label", HttpStatusCode.RequestEntityTooLarge, "larger than the limit of 4 MiB",
            () => Service("label").Replace("{name: label}", $"{{name: label, labels: {{big: {new string('x', 10_000_000)}}}}}"), Chunked: true),
        new("an empty file", HttpStatusCode.BadRequest, "hostile.yaml:1:1: no objects in hostile.yaml", () => ""),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_manifest_is_refused_quickly_and_leaves_the_control_plane_as_it_was(string name)
    {
        var hostile = Cases.Single(c => c.Name == name);
        var body = Json.Serialize(new ApplyRequest { Files = [new ManifestFile { Name = "hostile.yaml", Content = hostile.Content() }] });
        var memoryBefore = cluster.ControlPlaneResidentBytes();

        var clock = Stopwatch.StartNew();
        var (status, answer) = hostile.Chunked
            ? await ChunkedPost.SendAsync(cluster.Tls, new Uri(cluster.ApiUrl), "/api/v1/apply", Encoding.UTF8.GetBytes(body))
            : await PostAsync(body);
        var took = clock.Elapsed;

        Assert.True(hostile.Status == status, $"{name}: {(int)status} {answer}");
        var error = Json.Deserialize<ApiError>(answer);
        Assert.Contains(hostile.Error, string.Join("\n", error.Details.Select(d => d.ToString()).Prepend(error.Error)));
        Assert.DoesNotContain("internal error", answer);
        Assert.True(took < Quickly, $"{name}: answered after {took}");
        Assert.Equal(HttpStatusCode.OK, (await cluster.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal("", await KeysAsync("/orchestrator/services/") + await KeysAsync("/orchestrator/revisions/"));
        var grown = cluster.ControlPlaneResidentBytes() - memoryBefore;
        Assert.True(grown < MemoryAllowance, $"{name}: the control plane grew by {grown >> 20} MiB");
        Console.WriteLine($"{name}: {(int)status} in {took.TotalMilliseconds:0} ms, RSS {memoryBefore >> 20} MiB -> {(memoryBefore + grown) >> 20} MiB");
    }

    [Fact]
    public async Task Orc_refuses_an_empty_file_with_exit_1_and_names_it()
    {
        var empty = cluster.Manifest("empty.yaml", "# nothing here yet\n");

        var result = await cluster.Orc("apply", "-f", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no objects in {empty}", result.Stderr);
    }

    /// <summary>
    /// With a Content-Length and "Expect: 100-continue", as curl sends a big body: the server may refuse it by its
    /// length before a byte of it travels.
    /// </summary>
    private async Task<(HttpStatusCode, string)> PostAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/apply")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await cluster.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> KeysAsync(string prefix)
    {
        var get = await cluster.Etcdctl("get", "--prefix", "--keys-only", prefix);
        Assert.Equal(0, get.ExitCode);
        return get.Stdout.Trim();
    }
}
