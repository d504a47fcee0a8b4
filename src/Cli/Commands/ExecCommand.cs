using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc exec SERVICE|REPLICA [-i] [-t] [-n NS] -- COMMAND [ARG...]`: runs a command in a replica's container through the
/// control plane and the agent that runs it (docker exec for the cluster); the command's exit code is orc's.
/// </summary>
public sealed class ExecCommand(CliContext context)
{
    public Command Build()
    {
        var target = ReplicaTargetArgument.Create();
        var program = new Argument<string[]>("COMMAND") { Description = "The program and its arguments, after --", Arity = ArgumentArity.ZeroOrMore };
        var ns = CommonOptions.Namespace();
        var stdin = new Option<bool>("--stdin", "-i") { Description = "Pass orc's stdin to the command" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Run the command under a pseudo-terminal (with -i: an interactive shell)" };
        var command = new Command("exec", "Run a command in a replica's container (a service's name picks one of its running replicas)")
        {
            target, program, ns, stdin, tty,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(program) is not { Length: > 0 })
                result.AddError("orc exec needs the command to run after \"--\", like: orc exec web -- cat /www/index.html");
        });
        command.SetAction(async (parse, ct) =>
        {
            var wantsTty = parse.GetValue(tty);
            using var terminal = wantsTty && parse.GetValue(stdin) ? LocalTerminal.TryRaw() : null;
            if (wantsTty && parse.GetValue(stdin) && terminal is null)
            {
                context.Err.WriteLine("warning: stdin is not a terminal: running without a TTY");
                wantsTty = false;
            }
            using var streams = context.Streams(parse);
            using var socket = await streams.ExecAsync(parse.GetValue(ns)!, ReplicaTargetArgument.Name(parse.GetValue(target)!),
                parse.GetValue(program)!, wantsTty, parse.GetValue(stdin), ct);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sending = new SemaphoreSlim(1, 1);
            if (wantsTty && LocalTerminal.Size() is { } size)
            {
                await SendAsync(socket, sending, new StreamControl { Resize = size }, done.Token);
                terminal?.OnResize(s => _ = SendAsync(socket, sending, new StreamControl { Resize = s }, done.Token));
            }
            var input = parse.GetValue(stdin) ? Task.Run(() => ForwardStdinAsync(socket, sending, done.Token), CancellationToken.None) : Task.CompletedTask;
            try
            {
                return await ReadOutputAsync(socket, ct);
            }
            finally
            {
                await done.CancelAsync();
            }
        });
        return command;
    }

    /// <summary>Prints the command's output as it comes; its exit code from the closing status, or the error that ended it.</summary>
    private async Task<int> ReadOutputAsync(WebSocket socket, CancellationToken ct)
    {
        var decoders = new[] { Encoding.UTF8.GetDecoder(), Encoding.UTF8.GetDecoder() };
        var buffer = new byte[StreamMessages.MaxMessageBytes];
        var chars = new char[StreamMessages.MaxMessageBytes + 1];
        StreamStatus? status = null;
        try
        {
            while (await StreamMessages.ReceiveAsync(socket, buffer, ct) is { } message)
            {
                if (message.Type == WebSocketMessageType.Text)
                {
                    status = StreamMessages.ReadJson<StreamStatus>(message.Bytes) ?? status;
                    continue;
                }
                if (message.Bytes.Count < 1) continue;
                var toStderr = message.Bytes[0] == ReplicaStreams.Stderr;
                var writer = toStderr ? context.Err : context.Out;
                var count = decoders[toStderr ? 1 : 0].GetChars(buffer, 1, message.Bytes.Count - 1, chars, 0);
                await writer.WriteAsync(chars.AsMemory(0, count), ct);
                await writer.FlushAsync(ct);
            }
        }
        catch (WebSocketException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the exec stream broke: {e.Message}", inner: e);
        }
        await AnswerCloseAsync(socket, ct);
        return status switch
        {
            { Error: { Length: > 0 } error } => throw new CliException(error),
            { ExitCode: { } code } => code,
            _ => throw new CliException("the exec ended without the command's exit code (did the control plane restart?)"),
        };
    }

    /// <summary>Completes the close the server began, so that its side ends cleanly rather than by a timeout.</summary>
    private static async Task AnswerCloseAsync(WebSocket socket, CancellationToken ct)
    {
        if (socket.State != WebSocketState.CloseReceived) return;
        try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct); }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    private static async Task ForwardStdinAsync(WebSocket socket, SemaphoreSlim sending, CancellationToken ct)
    {
        try
        {
            await using var stdin = Console.OpenStandardInput();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stdin.ReadAsync(buffer, ct)) > 0)
            {
                await sending.WaitAsync(ct);
                try { await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, ct); }
                finally { sending.Release(); }
            }
            await SendAsync(socket, sending, new StreamControl { CloseStdin = true }, ct);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the command ended first
        }
    }

    /// <summary>One sender at a time: stdin and resizes share the socket.</summary>
    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sending, StreamControl control, CancellationToken ct)
    {
        try
        {
            await sending.WaitAsync(ct);
            try { await StreamMessages.SendJsonAsync(socket, control, ct); }
            finally { sending.Release(); }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
