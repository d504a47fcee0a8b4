using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// How many containers of one service ran, at every start and every death the engines reported (`docker events`),
/// not at samples that can miss a dip or a peak shorter than the sampling period. Several engines (test hosts) are
/// merged in the order of their events' times (one machine, one clock). Start it while the service is steady:
/// the starting set is read after the event stream begins, and an event of that short overlap is applied as a set
/// operation (start = add, die = remove), so it changes nothing.
/// </summary>
public sealed class RunningCountLog : IAsyncDisposable
{
    private sealed record EngineStream(Docker Engine, Process Events, ConcurrentQueue<string> Lines, IReadOnlyList<string> RunningAtStart);

    private readonly string _cluster;
    private readonly string _service;
    private readonly List<EngineStream> _streams = [];

    private RunningCountLog(string cluster, string service) => (_cluster, _service) = (cluster, service);

    public static async Task<RunningCountLog> StartAsync(IEnumerable<Docker> engines, string cluster, string service)
    {
        var log = new RunningCountLog(cluster, service);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        try
        {
            foreach (var engine in engines)
            {
                var events = engine.StartServiceEvents(cluster, service, since);
                var lines = new ConcurrentQueue<string>();
                events.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lines.Enqueue(e.Data); };
                events.BeginOutputReadLine();
                events.BeginErrorReadLine();
                log._streams.Add(new EngineStream(engine, events, lines, await engine.RunningIdsAsync(cluster, service)));
            }
        }
        catch
        {
            await log.DisposeAsync();
            throw;
        }
        return log;
    }

    /// <summary>
    /// The fewest and the most running from the start until now. Waits until the replayed events end where the
    /// engines are now (each engine's running set read again), so no late event is left out; a stream that cannot
    /// catch up within 10 s fails the test rather than give a figure that misses transitions.
    /// </summary>
    public async Task<(int Min, int Max)> MinMaxAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var now = new List<string>();
            foreach (var s in _streams) now.AddRange(await s.Engine.RunningIdsAsync(_cluster, _service));
            var (min, max, end) = Replay();
            if (end.SetEquals(now)) return (min, max);
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException($"docker events of {_service} ended with {end.Count} running, the engines run {now.Count}: events lost or late");
            await Task.Delay(200);
        }
    }

    private (int Min, int Max, HashSet<string> End) Replay()
    {
        var running = _streams.SelectMany(s => s.RunningAtStart).ToHashSet();
        var (min, max) = (running.Count, running.Count);
        var events = _streams.SelectMany(s => s.Lines.ToArray())
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 3)
            .Select(p => (Time: long.Parse(p[0]), Action: p[1], Id: p[2]))
            .OrderBy(e => e.Time);
        foreach (var e in events)
        {
            if (e.Action == "start") running.Add(e.Id);
            else if (e.Action == "die") running.Remove(e.Id);
            (min, max) = (Math.Min(min, running.Count), Math.Max(max, running.Count));
        }
        return (min, max, running);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var s in _streams) ProcessRunner.Stop(s.Events);
        foreach (var s in _streams) s.Events.Dispose();
        return ValueTask.CompletedTask;
    }
}
