using System.Net;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orchestrator.ControlPlane.Clustering;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Clustering;

/// <summary>Builds membership tables and rows for the table tests; each table is a fresh cluster id.</summary>
internal static class MembershipTableFixture
{
    private static int s_generation = 1;

    public static EtcdMembershipTable NewTable(EtcdServer etcd, string? clusterId = null) => new(
        Options.Create(new EtcdClusteringOptions { ConnectionString = etcd.ClientUrl }),
        Options.Create(new ClusterOptions { ClusterId = clusterId ?? $"test-{Guid.NewGuid():N}", ServiceId = "orchestrator-tests" }));

    /// <summary>A row for a silo that has never been in any table before (fresh address generation).</summary>
    public static MembershipEntry NewEntry(SiloStatus status = SiloStatus.Joining, DateTime? lastAlive = null)
    {
        var now = lastAlive ?? DateTime.UtcNow;
        var generation = Interlocked.Increment(ref s_generation);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), generation),
            Status = status,
            SuspectTimes = [],
            ProxyPort = 30000,
            HostName = "host-a",
            SiloName = $"silo-{generation}",
            RoleName = "control-plane",
            UpdateZone = 1,
            FaultZone = 2,
            StartTime = now,
            IAmAliveTime = now,
        };
    }

    /// <summary>The row of a silo that must be in the table, with its etag.</summary>
    public static Tuple<MembershipEntry, string> Row(this MembershipTableData data, SiloAddress silo) =>
        data.TryGet(silo) ?? throw new Xunit.Sdk.XunitException($"No row for {silo} in {data}");

    /// <summary>Orleans' MembershipEntry has no value equality; compare what the table must keep.</summary>
    public static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(expected.SuspectTimes ?? [], actual.SuspectTimes ?? []);
    }
}
