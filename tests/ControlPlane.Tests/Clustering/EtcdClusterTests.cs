using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orchestrator.ControlPlane.Clustering;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Clustering;

/// <summary>Real Orleans silos finding each other through the etcd membership table.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EtcdClusterTests(EtcdServer etcd)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_join_one_cluster_and_the_survivor_keeps_working_when_one_stops()
    {
        var clusterId = $"test-{Guid.NewGuid():N}";
        var first = await StartSiloAsync(clusterId);
        var second = await StartSiloAsync(clusterId);
        try
        {
            await WaitForActiveHostsAsync(first, 2);
            await WaitForActiveHostsAsync(second, 2);

            await first.StopAsync();

            await WaitForActiveHostsAsync(second, 1);
            // The departure is recorded in etcd itself, not only in the survivor's memory.
            using var table = MembershipTableFixture.NewTable(etcd, clusterId);
            var rows = (await table.ReadAllAsync()).Members.ToDictionary(row => row.Item1.SiloAddress, row => row.Item1.Status);
            Assert.Equal(SiloStatus.Dead, rows[Address(first)]);
            Assert.Equal(SiloStatus.Active, rows[Address(second)]);
        }
        finally
        {
            // Stop, not just dispose: a disposed silo leaves without telling the table.
            await first.StopAsync();
            await second.StopAsync();
            first.Dispose();
            second.Dispose();
        }
    }

    private static SiloAddress Address(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    private async Task<IHost> StartSiloAsync(string clusterId)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .UseEtcdClustering(options => options.ConnectionString = etcd.ClientUrl)
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = "orchestrator-tests";
                })
                .ConfigureEndpoints(IPAddress.Loopback, LoopbackPorts.Free(), LoopbackPorts.Free()))
            .Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Asks the silo's management grain, i.e. a real grain call, until the cluster has the expected size.</summary>
    private static async Task WaitForActiveHostsAsync(IHost silo, int expected)
    {
        var management = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + Patience;
        Dictionary<SiloAddress, SiloStatus> hosts;
        do
        {
            hosts = await management.GetHosts(onlyActive: true);
            if (hosts.Count == expected)
            {
                return;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Expected {expected} active silos within {Patience}, saw {hosts.Count}: {string.Join(", ", hosts.Keys)}");
    }
}
