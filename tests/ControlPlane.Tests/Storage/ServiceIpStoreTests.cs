using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>Service virtual IPs, allocated against a real etcd (docs/networking.md).</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceIpStoreTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);
    private static readonly Ipv4Subnet Range = Ipv4Subnet.Parse("10.241.0.0/29");

    public void Dispose() => _kv.Dispose();

    private static ServiceObject Service(string name) => new() { Metadata = new ObjectMeta { Name = name }, Spec = new ServiceSpec { Image = "local/web:1" } };

    [Fact]
    public async Task Services_allocating_at_once_each_get_their_own_address_kept_until_the_service_is_gone()
    {
        var names = new[] { "a", "b", "c", "d", "e", "f" };
        await Store.ApplyServicesAsync(names.Select(Service).ToList(), dryRun: false);

        // Six stores at once (as grains on several control planes would): the claim keys collide in etcd, each wins one.
        var ips = await Task.WhenAll(names.Select(n => Store.AllocateServiceIpAsync("default", n, Range)));
        Assert.Equal(6, ips.Distinct().Count());
        // A /29 has 6 usable addresses: .0 and .7 (network and broadcast) are never given.
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"10.241.0.{i}"), ips.Order(StringComparer.Ordinal));
        // A service keeps its address; a seventh gets none while the range is full.
        Assert.Equal(ips[0], await Store.AllocateServiceIpAsync("default", "a", Range));
        await Store.ApplyServicesAsync([Service("g")], dryRun: false);
        Assert.Null(await Store.AllocateServiceIpAsync("default", "g", Range));
        // A deleted service's address is free again.
        await Store.DeleteServiceAsync("default", "c");
        Assert.Equal(ips[2], await Store.AllocateServiceIpAsync("default", "g", Range));
        // A service that does not exist gets nothing.
        Assert.Null(await Store.AllocateServiceIpAsync("default", "ghost", Range));
        // What the endpoints show: every service with its own.
        var endpoints = await Store.ListEndpointsAsync();
        Assert.Equal(ips[0], endpoints.Single(e => e.Name == "a").VirtualIp);
        Assert.Equal(ips[2], endpoints.Single(e => e.Name == "g").VirtualIp);
    }
}
