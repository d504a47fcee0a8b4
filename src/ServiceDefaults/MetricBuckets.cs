using System.Diagnostics.Metrics;

namespace Orchestrator.ServiceDefaults;

/// <summary>
/// Histogram boundaries for durations in seconds. The SDK's default boundaries (0, 5, 10 ... 10000) suit milliseconds;
/// in seconds they would put every etcd call and every placement in the first bucket.
/// </summary>
public static class MetricBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>A histogram of durations in seconds ("s", so that Prometheus names it ..._seconds).</summary>
    public static Histogram<double> CreateSecondsHistogram(this Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Seconds });
}
