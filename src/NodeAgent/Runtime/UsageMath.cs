using Docker.DotNet.Models;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>The `docker stats` arithmetic on one stats answer of the engine.</summary>
public static class UsageMath
{
    /// <summary>
    /// Cores in use x 1000 between the answer's two samples: the container's share of the host's cpu time, times the
    /// online cpus. 0 when the engine gave no previous sample (a container that just started).
    /// </summary>
    public static long MilliCpu(ContainerStatsResponse stats)
    {
        var now = stats.CPUStats;
        var before = stats.PreCPUStats;
        if (now?.CPUUsage is null || before?.CPUUsage is null || now.SystemUsage is not { } system || before.SystemUsage is not { } systemBefore)
            return 0;
        if (system <= systemBefore || now.CPUUsage.TotalUsage < before.CPUUsage.TotalUsage) return 0;
        var cpus = now.OnlineCPUs is > 0 ? now.OnlineCPUs.Value : (uint)(now.CPUUsage.PercpuUsage?.Count ?? 0);
        var share = (double)(now.CPUUsage.TotalUsage - before.CPUUsage.TotalUsage) / (system - systemBefore);
        return (long)Math.Round(share * cpus * 1000);
    }

    /// <summary>
    /// Usage minus the inactive file cache the kernel can drop, as `docker stats` shows it: total_inactive_file on
    /// cgroup v1, inactive_file on v2 (and the older "cache" when neither is there).
    /// </summary>
    public static long MemoryBytes(ContainerStatsResponse stats)
    {
        var memory = stats.MemoryStats;
        if (memory?.Usage is not { } usage) return 0;
        var counters = memory.Stats ?? new Dictionary<string, ulong>();
        foreach (var key in (string[])["total_inactive_file", "inactive_file", "cache"])
            if (counters.TryGetValue(key, out var cache))
                return cache < usage ? (long)(usage - cache) : (long)usage;
        return (long)usage;
    }
}
