using System.Globalization;

namespace Orchestrator.Contracts;

/// <summary>
/// The WebSocket protocol of `orc exec` and `orc port-forward` (docs/api.md, "Streams"), the same on both hops:
/// orc -> control plane (/api/v1/namespaces/{ns}/replicas/{target}/exec|portforward) and control plane -> agent
/// (/v1/replicas/{id}/exec|portforward), which the control plane relays message by message.
/// <list type="bullet">
/// <item>exec, binary from the server: the first byte is the stream (<see cref="Stdout"/> or <see cref="Stderr"/>), the rest its bytes;
/// binary from the client: stdin bytes as they are.</item>
/// <item>port-forward: binary both ways, the connection's bytes as they are.</item>
/// <item>text both ways: one JSON object; from the server a <see cref="StreamStatus"/> (the exit code, or why there is
/// none), from the client a <see cref="StreamControl"/> (end of stdin, a terminal resize).</item>
/// </list>
/// </summary>
public static class ReplicaStreams
{
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>The longest command line an exec takes (in arguments), and the longest argument.</summary>
    public const int MaxArguments = 256;
    public const int MaxArgumentLength = 8 * 1024;

    /// <summary>The query of an exec on both hops: command=ARG repeated in order, tty=true, stdin=true.</summary>
    public static string ExecQuery(IReadOnlyList<string> command, bool tty, bool stdin) =>
        "?" + string.Join("&", command.Select(a => "command=" + Uri.EscapeDataString(a))
            .Concat(tty ? ["tty=true"] : []).Concat(stdin ? ["stdin=true"] : []));

    public static string PortForwardQuery(int port) => "?port=" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>An exec's command as the query gave it; on bad input <paramref name="error"/> says what is allowed.</summary>
    public static IReadOnlyList<string>? ParseCommand(IReadOnlyList<string?> command, out string error)
    {
        error = "";
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
            error = "command is missing: give the program and its arguments as command=PROGRAM&command=ARG...";
        else if (command.Count > MaxArguments)
            error = $"command has {command.Count} arguments; at most {MaxArguments} are allowed";
        else if (command.FirstOrDefault(a => (a?.Length ?? 0) > MaxArgumentLength) is { } longArgument)
            error = $"a command argument is {longArgument.Length} characters long; at most {MaxArgumentLength} are allowed";
        return error.Length == 0 ? command.Select(a => a ?? "").ToList() : null;
    }

    /// <summary>A TCP port 1-65535; on bad input <paramref name="error"/> says what is allowed.</summary>
    public static int? ParsePort(string? port, out string error)
    {
        error = "";
        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535) return n;
        error = $"port \"{port}\" is invalid: give a TCP port from 1 to 65535";
        return null;
    }

    /// <summary>A boolean query flag: absent is false.</summary>
    public static bool? ParseFlag(string name, string? value, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(value)) return false;
        if (bool.TryParse(value, out var flag)) return flag;
        error = $"{name} \"{value}\" is invalid: give true or false";
        return null;
    }
}

/// <summary>The server's word on a stream: the command's exit code when it ended, or the error that ended it (or kept it from starting).</summary>
public sealed record StreamStatus
{
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
}

/// <summary>The client's word on an exec: its stdin ended, or its terminal changed size.</summary>
public sealed record StreamControl
{
    public bool CloseStdin { get; init; }
    public TerminalSize? Resize { get; init; }
}

public sealed record TerminalSize(int Width, int Height);
