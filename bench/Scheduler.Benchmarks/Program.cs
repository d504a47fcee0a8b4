using BenchmarkDotNet.Running;
using Orchestrator.Scheduler.Benchmarks;

// `quick` for a one-pass figure in seconds; anything else goes to BenchmarkDotNet (e.g. --filter '*').
// `quick 100 1000`: score at most 100 feasible nodes per slot, place the first 1,000 services only.
// It exits 1 when a placement rule the workload claims to use was never used.
if (args is ["quick", ..]) return QuickRun.Run(args.Length > 1 && args[1] != "default" ? int.Parse(args[1]) : null, args.Length > 2 ? int.Parse(args[2]) : BenchCluster.ServiceCount);
BenchmarkSwitcher.FromAssembly(typeof(PlacementBenchmarks).Assembly).Run(args);
return 0;
