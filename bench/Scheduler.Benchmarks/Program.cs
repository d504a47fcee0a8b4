using BenchmarkDotNet.Running;
using Orchestrator.Scheduler.Benchmarks;

// `quick` for a one-pass figure in seconds; anything else goes to BenchmarkDotNet (e.g. --filter '*').
// `quick 100 1000`: score at most 100 feasible nodes per slot, place the first 1,000 services only.
if (args is ["quick", ..]) QuickRun.Run(args.Length > 1 && args[1] != "default" ? int.Parse(args[1]) : null, args.Length > 2 ? int.Parse(args[2]) : BenchCluster.ServiceCount);
else BenchmarkSwitcher.FromAssembly(typeof(PlacementBenchmarks).Assembly).Run(args);
