using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>What a kubectl user's hands type, each answered by what they meant or by an error that says what was wrong.</summary>
[Trait("Category", "Unit")]
public sealed class KubectlHabitTests
{
    private static readonly ServiceView Web = Samples.Service("web");
    private static readonly ServiceDetail WebDetail = new() { Service = Web.Service, Status = Web.Status };

    [Theory]
    [InlineData("flag read as a name", new[] { "get", "svc", "-z" }, "error: unknown flag \"-z\" for \"orc get services\"")]
    [InlineData("misspelt flag", new[] { "get", "svc", "--namespce", "a" }, "error: unknown flag \"--namespce\" for \"orc get services\" (did you mean \"--namespace\"?)")]
    [InlineData("flag of another verb", new[] { "scale", "web", "--replica", "3" }, "error: unknown flag \"--replica\" for \"orc scale service\" (did you mean \"--replicas\"?)")]
    [InlineData("misspelt type", new[] { "get", "pdos" }, "error: unknown resource type \"pdos\" for \"orc get\" (did you mean \"pods\"?); it takes services (service, svc), replicas (po, pod, pods, rep, replica), nodes (no, node), secrets (secret), configs (config), volumes (vol, volume), endpoints (endpoint, ep)")]
    [InlineData("kind orc lacks", new[] { "get", "deployments" }, "error: unknown resource type \"deployments\" for \"orc get\"; it takes services (service, svc), replicas (po, pod, pods, rep, replica), nodes (no, node), secrets (secret), configs (config), volumes (vol, volume), endpoints (endpoint, ep)")]
    [InlineData("unknown type with a name", new[] { "describe", "deploy/web" }, "error: unknown resource type \"deploy\" for \"orc describe\"; it takes service (services, svc), node (no, nodes), replica (po, pod, pods, rep, replicas), secret (secrets), config (configs)")]
    [InlineData("no type", new[] { "get" }, "error: \"orc get\" needs a resource type: services (service, svc), replicas (po, pod, pods, rep, replica), nodes (no, node), secrets (secret), configs (config), volumes (vol, volume), endpoints (endpoint, ep)")]
    [InlineData("misspelt command", new[] { "aply", "-f", "x.yaml" }, "error: unknown command \"aply\" for \"orc\" (did you mean \"apply\"?); it takes apply, create, diff, get, describe, scale, node, events, logs, exec, port-forward, top, rollout, chart, compose, delete, secret, volume, version, explain, token, config, completion")]
    [InlineData("misspelt subcommand", new[] { "node", "drian", "n1" }, "error: unknown command \"drian\" for \"orc node\" (did you mean \"drain\"?); it takes cordon, uncordon, drain, join-token, rm")]
    [InlineData("word duration", new[] { "apply", "-f", "x.yaml", "--wait", "--timeout", "5 minutes" }, "error: --timeout takes a duration: a whole number with a unit ms, s, m or h, like \"500ms\", \"1s\", \"2m\" or \"1m30s\", got \"5 minutes\"")]
    [InlineData("bad selector", new[] { "get", "po", "-l", "app=web=x" }, "error: the selector \"app=web=x\" has a bad part \"app=web=x\"; a selector is comma-separated key=value, key!=value, key or !key, like app=web,tier!=cache")]
    public async Task A_wrong_command_line_says_what_is_wrong_exits_2_and_sends_nothing(string name, string[] args, string error)
    {
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, args);

        Assert.True(run.ExitCode == 2, $"{name}: exit {run.ExitCode}, stderr {run.Err}");
        Assert.Equal(error, run.ErrLines[0]);
        Assert.Equal(2, run.ErrLines.Length);
        Assert.StartsWith("Run 'orc ", run.ErrLines[1]);
        Assert.Empty(api.Received);
    }

    [Theory]
    [InlineData("services", "/api/v1/services")]
    [InlineData("service", "/api/v1/services")]
    [InlineData("svc", "/api/v1/services")]
    [InlineData("replicas", "/api/v1/replicas")]
    [InlineData("replica", "/api/v1/replicas")]
    [InlineData("rep", "/api/v1/replicas")]
    [InlineData("pods", "/api/v1/replicas")]
    [InlineData("pod", "/api/v1/replicas")]
    [InlineData("po", "/api/v1/replicas")]
    [InlineData("nodes", "/api/v1/nodes")]
    [InlineData("node", "/api/v1/nodes")]
    [InlineData("no", "/api/v1/nodes")]
    public async Task Every_name_of_a_kind_lists_it(string type, string path)
    {
        var api = new FakeApi().Expect(HttpMethod.Get, path, Array.Empty<object>());

        var run = await Orc.RunAsync(api, "get", type);

        Assert.Equal((0, "No resources found.\n"), (run.ExitCode, run.Err));
        api.AssertAllAnswered();
    }

    public static TheoryData<string, string[], HttpMethod, string, object> NamedForms => new()
    {
        { "get TYPE/NAME", ["get", "svc/web"], HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail },
        { "namespace before TYPE/NAME", ["get", "-n", "team-a", "service/web"], HttpMethod.Get, "/api/v1/namespaces/team-a/services/web", WebDetail },
        { "namespace before the type", ["get", "-n", "team-a", "services", "web"], HttpMethod.Get, "/api/v1/namespaces/team-a/services/web", WebDetail },
        { "describe TYPE/NAME", ["describe", "svc/web"], HttpMethod.Get, "/api/v1/namespaces/default/services/web", WebDetail },
        { "scale NAME", ["scale", "web", "--replicas", "3"], HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", Result(ApplyActions.Configured) },
        { "scale TYPE/NAME", ["scale", "service/web", "--replicas", "3"], HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", Result(ApplyActions.Configured) },
        { "scale with the count first", ["scale", "--replicas", "3", "svc/web"], HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", Result(ApplyActions.Configured) },
        { "delete TYPE/NAME", ["delete", "svc/web"], HttpMethod.Delete, "/api/v1/namespaces/default/services/web", Result(ApplyActions.Deleted) },
    };

    [Theory]
    [MemberData(nameof(NamedForms))]
    public async Task Type_and_name_are_taken_in_every_form_kubectl_takes(string form, string[] args, HttpMethod method, string path, object answer)
    {
        var api = new FakeApi().Expect(method, path, answer);

        var run = await Orc.RunAsync(api, args);

        Assert.True(run.ExitCode == 0, $"{form}: {run.Err}");
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_duration_is_written_as_in_manifests()
    {
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { Samples.Node("n1"), Samples.Node("n2") })
            .Expect(HttpMethod.Put, "/api/v1/nodes/n1/drain", Samples.Node("n1", cordoned: true))
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", Array.Empty<ReplicaView>());

        var run = await Orc.RunAsync(api, "node", "drain", "n1", "--timeout", "90s");

        Assert.Equal((0, "node/n1 cordoned, draining\nnode/n1 drained\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Interrupting_logs_follow_ends_quietly_with_0()
    {
        using var interrupt = new CancellationTokenSource();
        var logs = new EndlessAnswer("web.1.aaaaa | hello\n", interrupt);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await Cli.RunAsync(["logs", "web", "-f"], stdout, stderr, logs, Orc.Environment(), interrupt.Token);

        Assert.Equal((0, "web.1.aaaaa | hello\n", ""), (exit, stdout.ToString(), stderr.ToString()));
    }

    [Fact]
    public async Task Interrupting_an_events_watch_ends_quietly_with_0()
    {
        using var interrupt = new CancellationTokenSource();
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/events", new List<ClusterEvent>());
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        interrupt.CancelAfter(TimeSpan.FromMilliseconds(300));

        var exit = await Cli.RunAsync(["events", "-w"], stdout, stderr, api, Orc.Environment(), interrupt.Token);

        Assert.Equal((0, "No events found.\n"), (exit, stderr.ToString()));
    }

    [Fact]
    public async Task Interrupting_a_command_that_is_not_a_watch_says_so_and_exits_130()
    {
        using var interrupt = new CancellationTokenSource();
        var answer = new EndlessAnswer("", interrupt);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await Cli.RunAsync(["logs", "web"], stdout, stderr, answer, Orc.Environment(), interrupt.Token);

        Assert.Equal((130, "error: interrupted\n"), (exit, stderr.ToString()));
    }

    [Fact]
    public async Task Get_watch_prints_the_list_then_each_change_without_the_header_until_interrupted()
    {
        var web = Samples.Service("web", desired: 3, running: 3);
        string[] events =
        [
            Json.Serialize(new ObjectWatchEvent { Type = ObjectWatchEvent.Sync, Revision = 10, Services = [web, Samples.Service("api")] }),
            Json.Serialize(new ObjectWatchEvent { Type = ObjectWatchEvent.Changed, Revision = 11, Services = [Samples.Service("web", desired: 5, running: 3)] }),
            Json.Serialize(new ObjectWatchEvent { Type = ObjectWatchEvent.Deleted, Revision = 12, Gone = ["default/api"] }),
        ];
        using var interrupt = new CancellationTokenSource();
        var watch = new EndlessAnswer(string.Join("\n", events) + "\n", interrupt);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await Cli.RunAsync(["get", "svc", "-w", "-n", "default"], stdout, stderr, watch, Orc.Environment(), interrupt.Token);

        Assert.Equal((0, ""), (exit, stderr.ToString()));
        Assert.Equal(
        [
            "NAMESPACE   NAME   IMAGE        DESIRED   RUNNING   READY   PENDING   AGE   REASON",
            "default     web    nginx:1.27   3         3         3       0         5m",
            "default     api    nginx:1.27   3         3         3       0         5m",
            "default     web    nginx:1.27   5         3         3       0         5m",
            "service/default/api deleted",
        ], stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("/api/v1/watch/services?namespace=default", watch.Asked!.PathAndQuery);
    }

    [Fact]
    public async Task Diff_prints_the_servers_diff_and_what_it_would_do_and_exits_1()
    {
        const string diff = "--- service/web (live)\n+++ service/web (manifest)\n@@ -7,1 +7,1 @@\n-  replicas: 3\n+  replicas: 5\n";
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { DryRun = true, Results = [Result(ApplyActions.Configured) with { Diff = diff, Effects = ["scale 3 -> 5"] }] },
                body: new ApplyRequest { Files = [new ManifestFile { Name = "<stdin>", Content = "kind: Service" }], DryRun = true })
            .Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { DryRun = true, Results = [Result(ApplyActions.Unchanged)] });

        var changed = await Orc.RunAsync(api, Orc.Environment(stdin: "kind: Service"), "diff", "-f", "-");
        var same = await Orc.RunAsync(api, Orc.Environment(stdin: "kind: Service"), "diff", "-f", "-");

        Assert.Equal((1, diff + "# scale 3 -> 5\n", ""), (changed.ExitCode, changed.Out, changed.Err));
        Assert.Equal((0, ""), (same.ExitCode, same.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Apply_dry_run_says_what_each_object_would_go_through()
    {
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse
        {
            DryRun = true,
            Results = [Result(ApplyActions.Configured) with { Effects = ["scale 3 -> 5", "3 replica(s) will be replaced by a rolling update (start-first, maxSurge 1, maxUnavailable 0)"] }],
        });

        var run = await Orc.RunAsync(api, Orc.Environment(stdin: "kind: Service"), "apply", "--dry-run", "-f", "-");

        Assert.Equal(["service/web configured (dry run)", "  scale 3 -> 5", "  3 replica(s) will be replaced by a rolling update (start-first, maxSurge 1, maxUnavailable 0)"], run.OutLines);
    }

    [Fact]
    public async Task Version_shows_client_and_server()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/version", new ServerVersion { Version = "1.2.3+abc" });

        var run = await Orc.RunAsync(api, "version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^Client: orc \d+\.\d+\.\d+", run.OutLines[0]);
        Assert.Equal("Server: 1.2.3+abc at https://127.0.0.1:7070", run.OutLines[1]);
    }

    [Fact]
    public async Task Version_without_a_server_still_shows_the_client_and_fails()
    {
        var run = await Orc.RunAsync(new RefusingHandler(), "version");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Client: orc ", run.Out);
        Assert.StartsWith("error: no server version: cannot reach the control plane", run.Err);
    }

    [Fact]
    public async Task Version_client_only_asks_nothing()
    {
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "version", "--client");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(api.Received);
    }

    [Fact]
    public async Task Delete_wait_returns_once_no_container_of_the_service_runs()
    {
        var running = new RunningContainers { Nodes = [new NodeUsage { Node = "n1", Containers = [new ContainerUsage { ReplicaId = "a1b2c", Service = "web" }] }] };
        var api = new FakeApi()
            .Expect(HttpMethod.Delete, "/api/v1/namespaces/default/services/web", Result(ApplyActions.Deleted))
            .Expect(HttpMethod.Get, "/api/v1/containers?namespace=default&service=web", running)
            .Expect(HttpMethod.Get, "/api/v1/containers?namespace=default&service=web", new RunningContainers { Nodes = [new NodeUsage { Node = "n1" }] });

        var run = await Orc.RunAsync(api, "delete", "svc/web", "--wait", "--timeout", "30s");

        Assert.Equal((0, "service/web deleted\n  service/web: 1 container(s) still running\nservice/web: no container left\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Delete_wait_does_not_take_a_silent_node_for_an_empty_one()
    {
        var silent = new RunningContainers { Unreachable = [new UnreachableNode { Node = "n2", Error = "timed out" }] };
        var api = new FakeApi()
            .Expect(HttpMethod.Post, "/api/v1/delete", new ApplyResponse { Results = [Result(ApplyActions.Deleted)] })
            .Expect(HttpMethod.Get, "/api/v1/containers?namespace=default&service=web", silent)
            .Expect(HttpMethod.Get, "/api/v1/containers?namespace=default&service=web", new RunningContainers());

        var run = await Orc.RunAsync(api, Orc.Environment(stdin: "kind: Service"), "delete", "-f", "-", "--wait");

        Assert.Equal(["service/web deleted", "  service/web: 0 container(s) still running; node n2 did not answer (timed out)", "service/web: no container left"], run.OutLines);
        api.AssertAllAnswered();
    }

    [Theory]
    [InlineData("zsh", "autoload -U +X bashcompinit && bashcompinit\n")]
    [InlineData("fish", "# orc completion for fish")]
    [InlineData("bash", "# orc completion for bash")]
    public async Task Completion_scripts_come_for_each_shell_and_offer_every_name_of_a_type(string shell, string start)
    {
        var run = await Orc.RunAsync(new FakeApi(), "completion", shell);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(start, run.Out);
        foreach (var name in new[] { "pods", "po", "svc", "no", "--selector", "--all-namespaces" }) Assert.Contains(name, run.Out);
    }

    private static ApplyResult Result(string action) => new() { Kind = "Service", Namespace = "default", Name = "web", Action = action };
}

/// <summary>
/// A server that sends <paramref name="text"/> and then keeps the answer open, as a followed log does; once the text is
/// read it interrupts the command, as Ctrl-C would.
/// </summary>
public sealed class EndlessAnswer(string text, CancellationTokenSource interrupt) : HttpMessageHandler
{
    /// <summary>What was asked for.</summary>
    public Uri? Asked { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Asked = request.RequestUri;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new Endless(System.Text.Encoding.UTF8.GetBytes(text), interrupt)) });
    }

    private sealed class Endless(byte[] first, CancellationTokenSource interrupt) : Stream
    {
        private int sent;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (sent < first.Length)
            {
                var n = Math.Min(buffer.Length, first.Length - sent);
                first.AsMemory(sent, n).CopyTo(buffer);
                sent += n;
                return n;
            }
            interrupt.CancelAfter(TimeSpan.FromMilliseconds(100));
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
