using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Orchestrator.ControlPlane.Tests.Metrics;

/// <summary>Listens to the instruments a filter selects and keeps every measurement with its tags, as an exporter would see them.</summary>
public sealed class MetricReader : IDisposable
{
    public sealed record Point(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Point> _points = new();

    public MetricReader(Func<Instrument, bool> select)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (select(instrument)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _points.Enqueue(new Point(instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    /// <summary>What the observable instruments report now (a scrape).</summary>
    public IReadOnlyList<Point> Observe()
    {
        _points.Clear();
        _listener.RecordObservableInstruments();
        return _points.ToList();
    }

    /// <summary>Everything recorded since the last call.</summary>
    public IReadOnlyList<Point> Recorded()
    {
        var all = _points.ToList();
        _points.Clear();
        return all;
    }

    public void Dispose() => _listener.Dispose();
}
