using System.Diagnostics;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>Container creates one engine reported since the counter started (<see cref="Docker.CountCreates"/>).</summary>
public sealed class CreateCounter : IDisposable
{
    private readonly Process _events;
    private int _count;

    public CreateCounter(Process events)
    {
        _events = events;
        _events.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) Interlocked.Increment(ref _count); };
        _events.BeginOutputReadLine();
        _events.BeginErrorReadLine();
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose()
    {
        ProcessRunner.Stop(_events);
        _events.Dispose();
    }
}
