using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>`orc exec` and `orc port-forward` against a fake control plane that answers their WebSockets on a real socket.</summary>
[Trait("Category", "Unit")]
public sealed partial class ExecAndPortForwardTests
{
    private const string WebExec = "/api/v1/namespaces/default/replicas/web/exec";

    /// <summary>The control plane's side of an exec that prints on both streams and ends with <paramref name="exitCode"/>.</summary>
    public static Func<WebSocket, Task> ExecAnswer(string stdout, string stderr, int exitCode) => async socket =>
    {
        await socket.SendAsync(Frame(ReplicaStreams.Stdout, stdout), WebSocketMessageType.Binary, true, default);
        await socket.SendAsync(Frame(ReplicaStreams.Stderr, stderr), WebSocketMessageType.Binary, true, default);
        await StreamMessages.EndAsync(socket, new StreamStatus { ExitCode = exitCode }, default);
    };

    private static byte[] Frame(byte stream, string text) => [stream, .. Encoding.UTF8.GetBytes(text)];

    /// <summary>The control plane's side of a port-forward connection: answers what it reads with "echo: " in front.</summary>
    public static async Task EchoAnswer(WebSocket socket)
    {
        var buffer = new byte[1024];
        var message = await StreamMessages.ReceiveAsync(socket, buffer, default);
        Assert.Equal(WebSocketMessageType.Binary, message!.Value.Type);
        await socket.SendAsync(Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(message.Value.Bytes)), WebSocketMessageType.Binary, true, default);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);
    }

    [Fact]
    public async Task Exec_prints_stdout_and_stderr_apart_and_exits_with_the_commands_code()
    {
        var api = new FakeApi().ExpectWebSocket(WebExec + "?command=sh&command=-c&command=echo%20hi%3B%20exit%203", ExecAnswer("hi\n", "warn\n", 3));
        var run = await Orc.RunAsync(api, Orc.Environment(new Dictionary<string, string> { ["ORC_TOKEN"] = "orc.test.token" }),
            "exec", "web", "--", "sh", "-c", "echo hi; exit 3");
        Assert.Equal((3, "hi\n", "warn\n"), (run.ExitCode, run.Out, run.Err));
        await Task.WhenAll(api.WebSocketServers);
        Assert.Equal("Bearer orc.test.token", Assert.Single(api.Authorizations));
    }

    [Theory]
    [InlineData("svc/web in a namespace", new[] { "exec", "svc/web", "-n", "shop", "--", "ls" }, "/api/v1/namespaces/shop/replicas/web/exec?command=ls")]
    [InlineData("a replica's name, -t without a terminal", new[] { "exec", "-t", "pod/web.1.px9r2x", "--", "ls", "-l" }, "/api/v1/namespaces/default/replicas/web.1.px9r2x/exec?command=ls&command=-l&tty=true")]
    public async Task Exec_names_the_target_and_the_command_in_its_request(string name, string[] args, string path)
    {
        Assert.NotEmpty(name);
        var api = new FakeApi().ExpectWebSocket(path, ExecAnswer("", "", 0));
        var run = await Orc.RunAsync(api, args);
        Assert.True(run.ExitCode == 0, run.Err);
    }

    [Fact]
    public async Task Exec_errors_are_one_line_each()
    {
        var missing = new FakeApi().ExpectWebSocket(WebExec + "?command=true",
            socket => StreamMessages.EndAsync(socket, new StreamStatus { Error = "no service or replica \"web\" in namespace \"default\"" }, default));
        var run = await Orc.RunAsync(missing, "exec", "web", "--", "true");
        Assert.Equal((1, "error: no service or replica \"web\" in namespace \"default\"\n"), (run.ExitCode, run.Err));

        var viewer = new FakeApi().ExpectError(HttpMethod.Get, WebExec + "?command=true", HttpStatusCode.Forbidden, "viewer may not run a command");
        run = await Orc.RunAsync(viewer, "exec", "web", "--", "true");
        Assert.Equal((1, "error: the control plane at https://127.0.0.1:7070 refused: orc exec needs an admin token (403 Forbidden)\n"), (run.ExitCode, run.Err));

        var silent = new FakeApi().ExpectWebSocket(WebExec + "?command=true", socket => socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default));
        run = await Orc.RunAsync(silent, "exec", "web", "--", "true");
        Assert.Equal((1, "error: the exec ended without the command's exit code (did the control plane restart?)\n"), (run.ExitCode, run.Err));
    }

    [Theory]
    [InlineData(new[] { "exec", "web" }, "error: orc exec needs the command to run after \"--\", like: orc exec web -- cat /www/index.html")]
    [InlineData(new[] { "exec", "web", "--bogus", "--", "ls" }, "unknown flag \"--bogus\" for \"orc exec\"")]
    [InlineData(new[] { "port-forward", "web", "8080:0" }, "[LOCAL]:REMOTE takes ports from 1 to 65535 like \"8080:80\", \":80\" (a free local port) or \"80\", got \"8080:0\"")]
    [InlineData(new[] { "port-forward", "web", "x" }, "got \"x\"")]
    [InlineData(new[] { "port-forward", "web" }, "error: orc port-forward needs the ports as [LOCAL]:REMOTE")]
    public async Task A_wrong_command_line_exits_2_and_sends_nothing(string[] args, string message)
    {
        var run = await Orc.RunAsync(new FakeApi(), args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(\d+) -> 8080")]
    private static partial Regex Forwarding();

    /// <summary>Runs `orc port-forward ... :8080`, sends "ping" through each of <paramref name="connections"/> connections, then presses Ctrl-C.</summary>
    public static async Task<(Run Run, List<string> Answers)> ForwardAsync(FakeApi api, string[] args, int connections, bool endsOnItsOwn = false)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        using var interrupt = new CancellationTokenSource();
        var running = Cli.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), api, Orc.Environment(), interrupt.Token);
        var answers = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Forwarding().IsMatch(stdout.ToString()) && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(20);
        if (Forwarding().Match(stdout.ToString()) is { Success: true } printed)
        {
            for (var i = 0; i < connections; i++)
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, int.Parse(printed.Groups[1].Value));
                var stream = tcp.GetStream();
                await stream.WriteAsync(Encoding.UTF8.GetBytes("ping"));
                tcp.Client.Shutdown(SocketShutdown.Send);
                answers.Add(await new StreamReader(stream).ReadToEndAsync());
            }
        }
        // A forward expected to end by itself gets the time to, before the Ctrl-C that is then only a safety net.
        if (endsOnItsOwn) await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10)));
        await interrupt.CancelAsync();
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(10));
        return (new Run(exit, stdout.ToString(), stderr.ToString()), answers);
    }

    [Fact]
    public async Task Port_forward_picks_a_free_port_carries_each_connection_and_ends_quietly_on_ctrl_c()
    {
        var api = new FakeApi().AcrossRuns()
            .ExpectWebSocket("/api/v1/namespaces/default/replicas/web/portforward?port=8080", EchoAnswer)
            .ExpectWebSocket("/api/v1/namespaces/default/replicas/web/portforward?port=8080", EchoAnswer);
        var (run, answers) = await ForwardAsync(api, ["port-forward", "svc/web", ":8080"], 2);
        Assert.Equal(["echo: ping", "echo: ping"], answers);
        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Equal(2, Regex.Matches(run.Out, "Handling connection for 8080").Count);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Port_forward_refused_ends_at_the_first_connection_with_exit_1()
    {
        var api = new FakeApi().AcrossRuns()
            .ExpectError(HttpMethod.Get, "/api/v1/namespaces/default/replicas/web/portforward?port=8080", HttpStatusCode.Forbidden, "no");
        var (run, _) = await ForwardAsync(api, ["port-forward", "web", ":8080"], 1, endsOnItsOwn: true);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("error: the control plane at https://127.0.0.1:7070 refused: orc port-forward needs an admin token (403 Forbidden)\n", run.Err);
    }
}
