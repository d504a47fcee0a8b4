using System.Diagnostics;
using System.Runtime.InteropServices;
using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// orc's own terminal during `orc exec -t`: in raw mode (every key, Ctrl-C too, goes to the remote program; nothing is
/// echoed twice) and restored as it was at the end, with its size and its resizes (SIGWINCH) for the remote terminal.
/// stty does the switching, as it is on every machine with a terminal and keeps orc free of termios structures.
/// </summary>
public sealed class LocalTerminal : IDisposable
{
    private readonly string _saved;
    private PosixSignalRegistration? _resizes;

    private LocalTerminal(string saved) => _saved = saved;

    /// <summary>Switches stdin's terminal to raw mode; null when stdin is not a terminal (or stty is missing).</summary>
    public static LocalTerminal? TryRaw()
    {
        if (Console.IsInputRedirected) return null;
        var saved = Stty("-g");
        if (saved is null || Stty("raw", "-echo") is null) return null;
        return new LocalTerminal(saved.Trim());
    }

    public static TerminalSize? Size()
    {
        try { return Console.IsOutputRedirected ? null : new TerminalSize(Console.WindowWidth, Console.WindowHeight); }
        catch (IOException) { return null; }
    }

    /// <summary>Calls <paramref name="resized"/> with the new size each time the terminal changes size.</summary>
    public void OnResize(Action<TerminalSize> resized) =>
        _resizes = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => { if (Size() is { } size) resized(size); });

    public void Dispose()
    {
        _resizes?.Dispose();
        Stty(_saved);
    }

    /// <summary>Runs stty on orc's own stdin (inherited); its output, or null when it failed.</summary>
    private static string? Stty(params string[] args)
    {
        try
        {
            using var stty = Process.Start(new ProcessStartInfo("stty", args) { RedirectStandardOutput = true, UseShellExecute = false });
            if (stty is null) return null;
            var output = stty.StandardOutput.ReadToEnd();
            stty.WaitForExit();
            return stty.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
