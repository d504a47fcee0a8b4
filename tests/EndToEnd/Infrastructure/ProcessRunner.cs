using System.Diagnostics;
using System.Text;

namespace Orchestrator.EndToEnd.Infrastructure;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs short commands to completion and long-running ones (daemons under test) with their output kept in a log.</summary>
public static class ProcessRunner
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args,
        IDictionary<string, string>? env = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = Start(file, args, env);
        psi.RedirectStandardInput = stdin is not null;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        try
        {
            // A daemon the command started in the background may have kept our pipes open: fail, do not hang.
            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{file} {string.Join(' ', args)} exited {p.ExitCode} but something it started still holds its output open");
        }
        return new CommandResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs a command that does not end by itself (a follow, a watch) for <paramref name="duration"/>, then kills it;
    /// returns what it printed until then, with its exit code when it ended earlier and -1 when it was killed.
    /// </summary>
    public static async Task<CommandResult> RunForAsync(string file, IEnumerable<string> args, TimeSpan duration, IDictionary<string, string>? env = null)
    {
        using var p = Process.Start(Start(file, args, env)) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(duration);
        var exitCode = -1;
        try
        {
            await p.WaitForExitAsync(cts.Token);
            exitCode = p.ExitCode;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        return new CommandResult(exitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs a command that does not end by itself for <paramref name="duration"/>, then sends it <paramref name="signal"/>
    /// ("INT", "TERM") as a person's Ctrl-C or a supervisor would, and returns how it ended (10 s at most after the signal).
    /// </summary>
    public static Task<CommandResult> RunUntilSignalAsync(string file, IEnumerable<string> args, TimeSpan duration, string signal,
        IDictionary<string, string>? env = null) =>
        RunUntilSignalAsync(file, args, () => Task.Delay(duration), signal, env);

    /// <summary>As above, with the signal sent once <paramref name="until"/> (the test's work with the running command) is done.</summary>
    public static async Task<CommandResult> RunUntilSignalAsync(string file, IEnumerable<string> args, Func<Task> until, string signal,
        IDictionary<string, string>? env = null, TimeSpan? endsOnItsOwnWithin = null)
    {
        using var p = Process.Start(Start(file, args, env)) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await until(); }
        catch (Exception e)
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{e.Message}; {file} {string.Join(' ', args)} printed:\n{await stdout}\n{await stderr}", e);
        }
        // A command expected to end by itself is given that time first: the signal is then only a safety net.
        if (endsOnItsOwnWithin is { } own)
        {
            using var ownEnd = new CancellationTokenSource(own);
            try { await p.WaitForExitAsync(ownEnd.Token); } catch (OperationCanceledException) { }
        }
        if (p.HasExited) return new CommandResult(p.ExitCode, await stdout, await stderr + "\n(ended before the signal)");
        await RunAsync("kill", ["-s", signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within 10 s of SIG{signal}");
        }
        return new CommandResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a daemon whose stdout and stderr go to <paramref name="logFile"/>.</summary>
    public static Process StartDaemon(string file, IEnumerable<string> args, string logFile, IDictionary<string, string>? env = null)
    {
        var p = Process.Start(Start(file, args, env)) ?? throw new InvalidOperationException($"could not start {file}");
        var log = new StreamWriter(logFile, append: true, Encoding.UTF8) { AutoFlush = true };
        var gate = new object();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => { lock (gate) { log.WriteLine($"[exited with {SafeExitCode(p)}]"); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static string SafeExitCode(Process p)
    {
        try { return p.ExitCode.ToString(); } catch (InvalidOperationException) { return "?"; }
    }

    /// <summary>
    /// SIGTERM, as `kill`, systemd or an upgrade would stop a daemon, and waits for it to exit; false when it did not
    /// within <paramref name="timeout"/> (it is then killed, so nothing is left behind).
    /// </summary>
    public static async Task<bool> TerminateAsync(Process? p, TimeSpan timeout)
    {
        if (p is null || p.HasExited) return true;
        if (Signal(p.Id, SigTerm) != 0) throw new InvalidOperationException($"kill -TERM {p.Id} failed");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Stop(p);
            return false;
        }
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    public static void Stop(Process? p)
    {
        if (p is null) return;
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> args, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }
}
