using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc port-forward SERVICE|REPLICA [LOCAL]:REMOTE [-n NS]`: listens on 127.0.0.1:LOCAL (a free port with `:REMOTE`) and
/// carries each accepted connection through the control plane to the agent, which connects to the replica's port.
/// Ctrl-C ends it with exit 0; a token that may not forward ends it at the first connection.
/// </summary>
public sealed class PortForwardCommand(CliContext context)
{
    public Command Build()
    {
        var target = ReplicaTargetArgument.Create();
        var ports = new Argument<PortPair>("[LOCAL]:REMOTE")
        {
            Description = "The local port and the replica's port (8080:80); \":80\" picks a free local port, \"80\" uses the same",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result =>
            {
                if (PortPair.TryParse(result.Tokens.Count == 1 ? result.Tokens[0].Value : "", out var pair, out var error)) return pair;
                result.AddError(error);
                return null;
            },
        };
        var ns = CommonOptions.Namespace();
        var command = new Command("port-forward", "Forward a local port to a port of a replica, through the control plane") { target, ports, ns };
        command.Validators.Add(result =>
        {
            if (result.GetResult(ports) is null) result.AddError("orc port-forward needs the ports as [LOCAL]:REMOTE, like: orc port-forward web 8080:80");
        });
        command.SetAction(async (parse, ct) =>
        {
            var pair = parse.GetValue(ports)!;
            using var listener = Listen(pair.Local);
            var local = ((IPEndPoint)listener.LocalEndpoint).Port;
            context.Out.WriteLine($"Forwarding from 127.0.0.1:{local} -> {pair.Remote}");
            await context.Out.FlushAsync(ct);
            using var streams = context.Streams(parse);
            var forwarding = new Forwarding(context, streams, parse.GetValue(ns)!, ReplicaTargetArgument.Name(parse.GetValue(target)!), pair.Remote);
            try
            {
                return await Following.UntilInterruptedAsync(() => forwarding.AcceptAsync(listener, ct), ct);
            }
            catch (CliException e)
            {
                // Returned, not thrown: a refusal that ends the forward stays exit 1 even when Ctrl-C comes right after it
                // (System.CommandLine turns an action that throws after SIGINT into 130).
                return Cli.Failed(context, e);
            }
        });
        return command;
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException e)
        {
            throw new CliException($"cannot listen on 127.0.0.1:{port}: {e.Message}", inner: e);
        }
    }

    /// <summary>The connections of one port-forward; the first that cannot be opened for a reason no retry changes ends it.</summary>
    private sealed class Forwarding(CliContext context, ReplicaStreamClient streams, string ns, string target, int remote)
    {
        private readonly TaskCompletionSource<CliException> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _writing = new();

        public async Task<int> AcceptAsync(TcpListener listener, CancellationToken ct)
        {
            while (true)
            {
                var accepting = listener.AcceptTcpClientAsync(ct).AsTask();
                if (await Task.WhenAny(accepting, _fatal.Task) == _fatal.Task) throw await _fatal.Task;
                var connection = await accepting;
                _ = Task.Run(() => ForwardAsync(connection, ct), CancellationToken.None);
            }
        }

        private async Task ForwardAsync(TcpClient connection, CancellationToken ct)
        {
            using (connection)
            {
                Say(context.Out, $"Handling connection for {remote}");
                try
                {
                    using var socket = await streams.PortForwardAsync(ns, target, remote, ct);
                    await WebSocketPipe.PipeAsync(socket, connection.GetStream(), status =>
                    {
                        if (status.Error is { Length: > 0 } error) Say(context.Err, $"error: {error}");
                    }, ct);
                }
                catch (CliException e) when (streams.Refused)
                {
                    _fatal.TrySetResult(e);
                }
                catch (CliException e)
                {
                    Say(context.Err, $"error: {e.Message}");
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
            }
        }

        private void Say(TextWriter writer, string line)
        {
            lock (_writing)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }
}

/// <summary>LOCAL:REMOTE as kubectl takes it: "8080:80", ":80" (a free local port, 0 here), "80" (the same on both sides).</summary>
public sealed record PortPair(int Local, int Remote)
{
    public static bool TryParse(string text, out PortPair? pair, out string error)
    {
        pair = null;
        error = "";
        var colon = text.IndexOf(':');
        var (localText, remoteText) = colon < 0 ? (text, text) : (text[..colon], text[(colon + 1)..]);
        var local = localText.Length == 0 ? 0 : ReplicaStreams.ParsePort(localText, out _);
        if (local is null || ReplicaStreams.ParsePort(remoteText, out _) is not { } remote)
        {
            error = $"[LOCAL]:REMOTE takes ports from 1 to 65535 like \"8080:80\", \":80\" (a free local port) or \"80\", got \"{text}\"";
            return false;
        }
        pair = new PortPair(local.Value, remote);
        return true;
    }
}
