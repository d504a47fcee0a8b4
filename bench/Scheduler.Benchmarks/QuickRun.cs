using System.Diagnostics;
using System.Globalization;
using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>
/// `-- quick`: one pass over the whole workload on one thread, in seconds rather than BenchmarkDotNet's minutes;
/// prints placements per second and bytes allocated per placement, then a second, untimed pass that counts what
/// every rule did (<see cref="RuleUse"/>): the run fails (exit 1) when a rule was never used. The published figures
/// of kube-scheduler and Nomad are printed for scale only: they are whole systems, this is the placement decision.
/// </summary>
public static class QuickRun
{
    /// <summary>kube-scheduler's scheduling-throughput floor in its 5,000-node performance tests (pods/s).</summary>
    public const double KubeSchedulerPodsPerSecond = 270;
    /// <summary>Nomad's C1M: one million containers in about 4.5 minutes, cluster-wide across many schedulers.</summary>
    public const double NomadC1MContainersPerSecond = 3_750;
    private const int WarmupRequests = 200;

    /// <param name="nodesToScore">A fixed number of feasible nodes to score per slot, to show the trade-off; null = the default (adaptive).</param>
    /// <param name="services">Only the first this many services, for a faster look.</param>
    /// <summary>The conditions of the cluster that must have turned nodes away, beside every filter and scorer.</summary>
    /// ("evicting" is the key of the NoExecute taint only.)
    private static readonly string[] WantedReasons = [Reasons.NodeNotReady, Reasons.NodeCordoned, Reasons.UntoleratedTaint + " evicting"];

    /// <returns>0, or 1 when a rule the workload claims to use was never used</returns>
    public static int Run(int? nodesToScore = null, int services = BenchCluster.ServiceCount)
    {
        var cluster = BenchCluster.Create();
        cluster = cluster with { Requests = cluster.Requests.Take(services).ToList() };
        var placer = Placer.CreateDefault(nodesToScore is int n ? _ => n : null);

        // JIT and tiering first, on a throw-away state, so the measured pass runs optimised code.
        var warm = cluster.State();
        foreach (var request in cluster.Requests.Take(WarmupRequests)) placer.Place(warm, request with { EvaluationId = "warmup" });

        var buildWatch = Stopwatch.StartNew();
        var state = cluster.State();
        buildWatch.Stop();

        var results = new List<(PlacementRequest Request, PlacementResult Result)>(cluster.Requests.Count);
        var pauseBefore = GC.GetTotalPauseDuration();
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        // CPU time as well as wall time: on a shared machine the wall clock counts other people's work too.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var request in cluster.Requests) results.Add((request, placer.Place(state, request)));
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;

        var placed = results.SelectMany(r => r.Result.Placements.Select(p => ReplicaOf(r.Request, p))).ToList();
        var unplaced = results.Sum(r => r.Result.Unplaced.Count);
        var rebuildWatch = Stopwatch.StartNew();
        SchedulingState.From(new ClusterSnapshot(cluster.Nodes, placed));
        rebuildWatch.Stop();

        var perSecond = placed.Count / cpu.TotalSeconds;
        var lines = new[]
        {
            $"cluster: {BenchCluster.NodeCount:N0} nodes, {BenchCluster.ServiceCount:N0} services x {BenchCluster.ReplicasPerService} replicas",
            $"placed {placed.Count:N0}, unplaced {unplaced:N0} on one thread: {cpu.TotalSeconds:F2} s of cpu, {watch.Elapsed.TotalSeconds:F2} s wall ({placed.Count / watch.Elapsed.TotalSeconds:N0}/s by the wall clock)",
            $"orchestrator:    {perSecond,10:N0} placements per cpu-second   {(double)bytes / Math.Max(1, placed.Count):N0} bytes allocated per placement (with its Placement record and reason text)",
            $"gc: {pause.TotalMilliseconds:N0} ms paused of {watch.Elapsed.TotalMilliseconds:N0} ms ({GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2 collections)",
            "for scale only, not like for like: the figures below are of whole systems (API calls, writes to their store,",
            "binding, many schedulers); the figure above is one in-memory placement loop with nothing stored or sent",
            $"kube-scheduler:  {KubeSchedulerPodsPerSecond,10:N0} pods/s         (CI floor at 5,000 nodes, end to end)  in-memory loop / it: x{perSecond / KubeSchedulerPodsPerSecond:N0}",
            $"nomad C1M:       {NomadC1MContainersPerSecond,10:N0} containers/s   (cluster-wide, end to end)           in-memory loop / it: x{perSecond / NomadC1MContainersPerSecond:N1}",
            $"state: built empty in {buildWatch.Elapsed.TotalMilliseconds:F1} ms; rebuilt from {placed.Count:N0} replicas in {rebuildWatch.Elapsed.TotalMilliseconds:F0} ms (what every call paid before the state was kept)",
        };
        foreach (var line in lines) Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
        CacheFed(cluster, placer);
        return CheckRules(cluster, placer);
    }

    /// <summary>How many services the cache-fed pass places: 30,000 replicas, the scale target's size.</summary>
    private const int CacheFedServices = 1_000;

    /// <summary>
    /// The path the control plane takes (its placement grain): before each request the kept state is brought up to
    /// date from everything the cache holds (<see cref="LiveSchedulingState.For"/>: the replicas stored so far, each
    /// as the cache's own record of it), then the placer decides and the stored placements are made known. Against it,
    /// what each request paid before the state was kept: a state rebuilt from the same replicas.
    /// </summary>
    private static void CacheFed(BenchCluster cluster, Placer placer)
    {
        var requests = cluster.Requests.Take(CacheFedServices).ToList();
        var live = new LiveSchedulingState();
        var cache = new List<Replica>();
        var rebuild = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            var state = live.For(cluster.Nodes, cache);
            var result = placer.Place(state, request);
            var stored = result.Placements.Select(p => ReplicaOf(request, p) with { Id = $"{request.Service}.{p.Slot}" }).ToList();
            live.Placed(stored);
            // The cache then holds records of its own (decoded from etcd): other objects, the same ids.
            cache.AddRange(stored.Select(r => r with { ResourceVersion = 1 }));
        }
        watch.Stop();
        var sample = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) SchedulingState.From(new ClusterSnapshot(cluster.Nodes, cache));
        rebuild = sample.Elapsed / 10;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cache-fed (the control plane's path): {requests.Count:N0} requests, {cache.Count:N0} replicas at the end: {watch.Elapsed.TotalMilliseconds / requests.Count:F2} ms per request " +
            $"(state brought up to date + placed), {live.Rebuilds} build(s), {live.Updates:N0} replica updates; a rebuild from {cache.Count:N0} replicas instead: {rebuild.TotalMilliseconds:F1} ms per request"));
    }

    /// <summary>The same workload again, untimed, through counting wrappers: prints what each rule did, 1 when one did nothing.</summary>
    private static int CheckRules(BenchCluster cluster, Placer measured)
    {
        var use = new RuleUse(measured);
        var state = cluster.State();
        foreach (var request in cluster.Requests) use.Placer.Place(state, request);
        Console.WriteLine("rules (an untimed second pass): nodes turned away, by filter and reason");
        foreach (var line in use.Rejections()) Console.WriteLine("  " + line);
        Console.WriteLine("scorers in use");
        foreach (var line in use.ActiveScorers()) Console.WriteLine("  " + line);
        var unused = use.Unused(WantedReasons);
        if (unused.Count == 0)
        {
            Console.WriteLine("every placement rule was active: each filter turned nodes away, each scorer scored");
            return 0;
        }
        Console.WriteLine("NOT every placement rule was active: " + string.Join("; ", unused));
        return 1;
    }

    private static Replica ReplicaOf(PlacementRequest request, Placement placement) => new()
    {
        Namespace = request.Namespace,
        Service = request.Service,
        Slot = placement.Slot,
        Node = placement.Node,
        Container = request.Container,
        Labels = new Dictionary<string, string>(request.Labels!),
    };
}
