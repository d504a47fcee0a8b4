using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>
/// Runs every row of the "kubectl habit -> orc" table in docs/cli.md against a fake control plane that expects exactly
/// the requests that row should make, so the page cannot promise a command that does not work.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CliHabitTableTests
{
    private const string Manifest = "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: web}\nspec: {image: local/web:1}\n";

    private static readonly ServiceView Web = Samples.Service("web");
    private static readonly ServiceDetail WebDetail = new() { Service = Web.Service, Status = Web.Status, Replicas = [Samples.Replica("web", 1, "px9r2x", "n1")] };
    private static readonly ReplicaView[] Replicas = [Samples.Replica("web", 1, "px9r2x", "n1")];
    private static readonly ApplyResult WebResult = new() { Kind = "Service", Namespace = "default", Name = "web", Action = ApplyActions.Unchanged };
    private static readonly NodeInfo[] TwoNodes = [Samples.Node("n1"), Samples.Node("n2")];

    /// <summary>What each row of the table should ask the control plane, in order.</summary>
    private static readonly Dictionary<string, Action<FakeApi>> Expected = new()
    {
        ["orc get pods"] = api => api.Expect(HttpMethod.Get, "/api/v1/replicas", Replicas),
        ["orc get po -A"] = api => api.Expect(HttpMethod.Get, "/api/v1/replicas", Replicas),
        ["orc get pods --node n1"] = api => api.Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", Replicas),
        ["orc get pods -l app=web"] = api => api.Expect(HttpMethod.Get, "/api/v1/replicas", Replicas),
        ["orc get pods -o name"] = api => api.Expect(HttpMethod.Get, "/api/v1/replicas", Replicas),
        ["orc get svc -o jsonpath={.items[*].metadata.name}"] = api => api.Expect(HttpMethod.Get, "/api/v1/services", new[] { Web }),
        ["orc get svc -o custom-columns=NAME:.metadata.name,IMAGE:.spec.image"] = api => api.Expect(HttpMethod.Get, "/api/v1/services", new[] { Web }),
        ["orc get svc web -o yaml"] = api => api.Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail),
        ["orc get svc/web -o yaml | orc apply -f -"] = api => api
            .Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail)
            .Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [WebResult] },
                body: new ApplyRequest { Files = [new ManifestFile { Name = "<stdin>", Content = ManifestYaml.Write(Web.Service) }] }),
        ["orc node rm n1"] = api => api.Expect(HttpMethod.Delete, "/api/v1/nodes/n1", null, System.Net.HttpStatusCode.NoContent),
        ["orc node join-token --ttl 1h"] = api => api.Expect(HttpMethod.Post, "/api/v1/tokens", new IssuedToken { Token = "orc.ab.cd" },
            body: new TokenRequest { Role = "join", Ttl = "1h" }),
        ["orc token create --role viewer --ttl 24h"] = api => api.Expect(HttpMethod.Post, "/api/v1/tokens", new IssuedToken { Token = "orc.ab.cd" },
            body: new TokenRequest { Role = "viewer", Ttl = "24h" }),
        ["orc get ep web"] = api => api.Expect(HttpMethod.Get, "/api/v1/endpoints?namespace=default&service=web",
            new List<ServiceEndpoints> { new() { Name = "web", VirtualIp = "10.241.0.5" } }),
        ["orc get no"] = api => api.Expect(HttpMethod.Get, "/api/v1/nodes", TwoNodes),
        ["orc describe node n1"] = api => api
            .Expect(HttpMethod.Get, "/api/v1/overview", new ClusterOverview { Nodes = [new NodeOverview { Node = TwoNodes[0] }] })
            .Expect(HttpMethod.Get, "/api/v1/top/nodes", new TopNodes())
            .Expect(HttpMethod.Get, "/api/v1/events", new List<ClusterEvent>()),
        ["orc describe po web.1.px9r2x"] = api => api
            .Expect(HttpMethod.Get, "/api/v1/replicas?namespace=default", Replicas)
            .Expect(HttpMethod.Get, "/api/v1/events?namespace=default&service=web", new List<ClusterEvent>()),
        ["orc describe svc/web"] = api => api.Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail),
        ["orc apply -f -"] = api => api.Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [WebResult] },
            body: new ApplyRequest { Files = [new ManifestFile { Name = "<stdin>", Content = Manifest }] }),
        ["orc apply --dry-run -f -"] = api => api.Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [WebResult], DryRun = true },
            body: new ApplyRequest { Files = [new ManifestFile { Name = "<stdin>", Content = Manifest }], DryRun = true }),
        ["orc diff -f -"] = api => api.Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [WebResult], DryRun = true },
            body: new ApplyRequest { Files = [new ManifestFile { Name = "<stdin>", Content = Manifest }], DryRun = true }),
        ["orc scale web --replicas 3"] = api => api.Expect(HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", WebResult,
            body: new ScaleRequest { Replicas = 3 }),
        ["orc delete svc/web --wait --timeout 2m"] = api => api
            .Expect(HttpMethod.Delete, "/api/v1/namespaces/default/services/web", WebResult with { Action = ApplyActions.Deleted })
            .Expect(HttpMethod.Get, "/api/v1/containers?namespace=default&service=web", new RunningContainers()),
        ["orc logs web --tail 10"] = api => api.ExpectText("/api/v1/namespaces/default/services/web/logs?tail=10", "web.1.px9r2x | hello\n"),
        ["orc exec web -- cat /www/index.html"] = api => api.ExpectWebSocket("/api/v1/namespaces/default/replicas/web/exec?command=cat&command=%2Fwww%2Findex.html",
            ExecAndPortForwardTests.ExecAnswer("hello from web v1\n", "", 0)),
        ["orc port-forward svc/web :8080"] = api => api.ExpectWebSocket("/api/v1/namespaces/default/replicas/web/portforward?port=8080",
            ExecAndPortForwardTests.EchoAnswer),
        ["orc rollout status web --timeout 5m"] = api => api.Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail with
        {
            Service = Web.Service with { Metadata = Web.Service.Metadata with { Revision = 2 } },
            Rollout = new RolloutStatus { Revision = 2, Phase = RolloutPhase.Complete, Desired = 3, Available = 3 },
        }),
        ["orc rollout undo web"] = api => api.Expect(HttpMethod.Post, "/api/v1/namespaces/default/services/web/rollout/undo",
            new UndoResponse { Revision = 3, ToRevision = 1 }),
        ["orc node cordon n1"] = api => api.Expect(HttpMethod.Put, "/api/v1/nodes/n1/cordon", TwoNodes[0]),
        ["orc node drain n1 --timeout 90s"] = api => api
            .Expect(HttpMethod.Get, "/api/v1/nodes", TwoNodes)
            .Expect(HttpMethod.Put, "/api/v1/nodes/n1/drain", TwoNodes[0])
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", Array.Empty<ReplicaView>()),
        ["orc top nodes"] = api => api.Expect(HttpMethod.Get, "/api/v1/top/nodes", new TopNodes()),
        ["orc events -A"] = api => api.Expect(HttpMethod.Get, "/api/v1/events", new List<ClusterEvent>()),
        ["orc version"] = api => api.Expect(HttpMethod.Get, "/api/v1/version", new ServerVersion { Version = "1.0.0" }),
        ["orc explain service.spec.updateStrategy"] = _ => { },
        ["orc completion bash"] = _ => { },
    };

    public static TheoryData<string> Rows() => [.. TableRows()];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_row_of_the_table_runs_and_asks_what_it_should(string row)
    {
        Assert.True(Expected.TryGetValue(row, out var expect), $"docs/cli.md has `{row}`; add what it should ask to {nameof(Expected)}");
        var api = new FakeApi().AcrossRuns();
        expect(api);

        var stdin = Manifest;
        if (row.StartsWith("orc port-forward ", StringComparison.Ordinal))
        {
            // It runs until Ctrl-C: one connection through it, then the interrupt.
            var (forward, answers) = await ExecAndPortForwardTests.ForwardAsync(api, [.. row.Split(' ').Skip(1)], 1);
            Assert.True(forward.ExitCode == 0 && answers.SequenceEqual(["echo: ping"]), $"{row}: exit {forward.ExitCode}\n{forward.Err}");
            row = "";
        }
        foreach (var command in row.Split(" | ", StringSplitOptions.RemoveEmptyEntries))
        {
            var run = await Orc.RunAsync(api, Orc.Environment(stdin: stdin), [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)]);
            Assert.True(run.ExitCode == 0, $"{command}: exit {run.ExitCode}\n{run.Err}");
            stdin = run.Out;
        }
        api.AssertAllAnswered();
    }

    [Fact]
    public void Every_expectation_has_its_row()
    {
        var rows = TableRows();
        Assert.Empty(Expected.Keys.Where(k => !rows.Contains(k)));
    }

    /// <summary>The orc column of the table: the second cell of each row whose first cell is a kubectl command.</summary>
    private static List<string> TableRows()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root(), "docs", "cli.md"));
        return text.Split('\n').Where(l => l.StartsWith("| `") && !l.StartsWith("| `orc"))
            .Select(l => l.Replace("\\|", "\u0001").Split('|')[2].Trim().Trim('`').Replace("\u0001", "|"))
            .ToList();
    }
}
