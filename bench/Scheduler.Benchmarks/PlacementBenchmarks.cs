using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>The whole workload per invocation on a fresh state (built outside the measurement), with allocations.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class PlacementBenchmarks
{
    private readonly Placer _placer = Placer.CreateDefault();
    private BenchCluster _cluster = null!;
    private SchedulingState _state = null!;

    [GlobalSetup]
    public void Setup() => _cluster = BenchCluster.Create();

    [IterationSetup]
    public void FreshState() => _state = _cluster.State();

    [Benchmark(OperationsPerInvoke = BenchCluster.ServiceCount * BenchCluster.ReplicasPerService)]
    public int PlaceAll()
    {
        var placed = 0;
        foreach (var request in _cluster.Requests) placed += _placer.Place(_state, request).Placements.Count;
        return placed;
    }
}
