using Docker.DotNet.Models;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class UsageMathTests
{
    private static ContainerStatsResponse Cpu(ulong total, ulong system, ulong preTotal, ulong preSystem, uint cpus) => new()
    {
        CPUStats = new CPUStats { CPUUsage = new CPUUsage { TotalUsage = total }, SystemUsage = system, OnlineCPUs = cpus },
        PreCPUStats = new CPUStats { CPUUsage = new CPUUsage { TotalUsage = preTotal }, SystemUsage = preSystem },
    };

    [Fact]
    public void Cpu_is_the_share_of_host_time_times_the_cpus_in_millicores()
    {
        // The container used 1/8 of all cpu time on a 4-cpu host: half a core.
        Assert.Equal(500, UsageMath.MilliCpu(Cpu(total: 2_000, system: 40_000, preTotal: 1_000, preSystem: 32_000, cpus: 4)));
    }

    [Fact]
    public void Cpu_without_a_previous_sample_is_zero()
    {
        var stats = Cpu(total: 2_000, system: 40_000, preTotal: 0, preSystem: 0, cpus: 4);
        stats.PreCPUStats!.SystemUsage = null;
        Assert.Equal(0, UsageMath.MilliCpu(stats));
    }

    [Theory]
    [InlineData("total_inactive_file", 10_000_000, 4_000_000, 6_000_000)]
    [InlineData("inactive_file", 10_000_000, 4_000_000, 6_000_000)]
    [InlineData("cache", 10_000_000, 4_000_000, 6_000_000)]
    [InlineData("total_inactive_file", 3_000_000, 4_000_000, 3_000_000)]
    [InlineData("rss", 10_000_000, 4_000_000, 10_000_000)]
    public void Memory_is_usage_minus_the_droppable_cache(string key, long usage, long cache, long expected)
    {
        var stats = new ContainerStatsResponse
        {
            MemoryStats = new MemoryStats { Usage = (ulong)usage, Stats = new Dictionary<string, ulong> { [key] = (ulong)cache } },
        };
        Assert.Equal(expected, UsageMath.MemoryBytes(stats));
    }
}
