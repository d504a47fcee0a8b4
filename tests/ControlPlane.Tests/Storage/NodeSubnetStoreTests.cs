using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>Node subnets of the cluster network, allocated against a real etcd (docs/networking.md).</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NodeSubnetStoreTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);
    private static readonly Ipv4Subnet Range = Ipv4Subnet.Parse("10.240.0.0/22");

    public void Dispose() => _kv.Dispose();

    private Task<NodeInfo> Node(string name) => Store.UpdateNodeAsync(name, _ => new NodeInfo { Name = name });

    [Fact]
    public async Task Nodes_registering_at_once_each_get_their_own_subnet_kept_in_their_record()
    {
        var names = new[] { "n1", "n2", "n3", "n4" };
        foreach (var n in names) await Node(n);

        // Four stores (as four control planes or grains would) allocate at the same time: the claim keys collide in etcd.
        var allocated = await Task.WhenAll(names.Select(n => Store.AllocateNodeSubnetAsync(n, Range)));

        Assert.Equal(names.Length, allocated.Select(a => a!.Subnet).Distinct().Count());
        Assert.All(allocated, a => Assert.True(Range.Contains(Ipv4Subnet.Parse(a!.Subnet)), a!.Subnet));
        foreach (var a in allocated) Assert.Equal(a!.Subnet, (await Store.GetNodeAsync(a.Name))!.Subnet);
        // A node that holds one keeps it.
        Assert.Equal(allocated[0]!.Subnet, (await Store.AllocateNodeSubnetAsync("n1", Range))!.Subnet);
        // The range is full (a /22 is four /24s): a fifth node gets none, and says so by an empty subnet.
        await Node("n5");
        Assert.Equal("", (await Store.AllocateNodeSubnetAsync("n5", Range))!.Subnet);
    }

    [Fact]
    public async Task A_subnet_whose_node_record_is_gone_is_given_again()
    {
        // A range of one subnet: the new node can only have it if the claim of the gone one counts for nothing.
        var one = Ipv4Subnet.Parse("10.240.0.0/24");
        await Node("old");
        var first = (await Store.AllocateNodeSubnetAsync("old", one))!.Subnet;
        await _kv.CommitAsync(new EtcdTxn().DeleteKey(_keys.Node("old")));

        await Node("new");
        Assert.Equal(first, (await Store.AllocateNodeSubnetAsync("new", one))!.Subnet);
        // An unregistered node gets nothing.
        Assert.Null(await Store.AllocateNodeSubnetAsync("ghost", one));
    }
}
