using System.Diagnostics;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>
/// etcd away for 20 s and back: the control plane's client reaches it again within a few seconds. gRPC's own reconnect
/// backoff grows to 120 s; left at that, a client that kept asking through the outage waited up to half a minute more
/// with etcd long back (seen as an end-to-end failure: "etcd unreachable" 13 s after etcd was ready).
/// </summary>
[Trait("Category", "Integration")]
public sealed class EtcdReconnectTests : IAsyncLifetime
{
    private readonly EtcdServer _etcd = new();

    public Task InitializeAsync() => _etcd.InitializeAsync();

    public Task DisposeAsync() => _etcd.DisposeAsync();

    [Fact]
    public async Task After_20_seconds_away_etcd_is_reached_again_within_3_seconds_of_its_return()
    {
        using var kv = EtcdKv.Connect(_etcd.ClientUrl);
        Assert.True((await kv.CommitAsync(new EtcdTxn().PutValue("/reconnect/a", "1"))).Succeeded);

        // Asked every half second through the outage, as the cache's watch and the node checks do.
        var failures = 0;
        await _etcd.BeAwayAsync(TimeSpan.FromSeconds(20), async () =>
        {
            try { await kv.GetAsync("/reconnect/a"); }
            catch (Exception) { failures++; }
            await Task.Delay(500);
        });
        Assert.True(failures > 10, $"only {failures} failed reads while etcd was away");

        var back = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await kv.GetAsync("/reconnect/a"))?.Value == "1") break;
            }
            catch (Exception) when (back.Elapsed < TimeSpan.FromSeconds(40)) { }
            await Task.Delay(100);
        }
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(2), $"etcd reached again {back.Elapsed.TotalSeconds:0.0} s after it was back");
    }
}
