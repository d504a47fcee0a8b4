using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane.Tests.Nodes;

public sealed class NodeSubnetsTests
{
    [Fact]
    public void Picks_the_lowest_subnet_nobody_holds()
    {
        var range = Ipv4Subnet.Parse("10.240.0.0/16");
        Assert.Equal("10.240.0.0/24", NodeSubnets.Pick(range, new HashSet<string>())!.Value.ToString());
        Assert.Equal("10.240.2.0/24", NodeSubnets.Pick(range, new HashSet<string> { "10.240.0.0/24", "10.240.1.0/24", "10.240.3.0/24" })!.Value.ToString());
        Assert.Null(NodeSubnets.Pick(Ipv4Subnet.Parse("10.240.0.0/24"), new HashSet<string> { "10.240.0.0/24" }));
    }

    [Fact]
    public void Nodes_registering_together_spread_over_the_lowest_free_subnets()
    {
        var range = Ipv4Subnet.Parse("10.240.0.0/16");
        var held = new HashSet<string> { "10.240.0.0/24", "10.240.1.0/24" };
        var picks = Enumerable.Range(1, 100).Select(i => NodeSubnets.PickFor($"hollow-{i:D4}", range, held)!.Value.ToString()).ToList();

        // Many different first tries, none held, all among the 32 lowest free, and the same again for the same name.
        Assert.True(picks.Distinct().Count() > 20, $"only {picks.Distinct().Count()} different subnets");
        Assert.DoesNotContain(picks, held.Contains);
        Assert.All(picks, p => Assert.InRange(int.Parse(p.Split('.')[2]), 2, 33));
        Assert.Equal(picks[0], NodeSubnets.PickFor("hollow-0001", range, held)!.Value.ToString());
        Assert.Equal("10.240.0.0/24", NodeSubnets.PickFor("any", Ipv4Subnet.Parse("10.240.0.0/23"), new HashSet<string> { "10.240.1.0/24" })!.Value.ToString());
        Assert.Null(NodeSubnets.PickFor("any", Ipv4Subnet.Parse("10.240.0.0/24"), new HashSet<string> { "10.240.0.0/24" }));
    }

    [Theory]
    [InlineData("10.240.0.0/16", null)]
    [InlineData("10.240.0.0/24", null)]
    [InlineData("10.240.0.0/25", "smaller than one node's /24")]
    [InlineData("10.240.0.1/16", "is not an IPv4 range")]
    [InlineData("ten", "is not an IPv4 range")]
    public void A_cluster_range_is_checked_at_start_up(string text, string? problem)
    {
        var found = new ControlPlaneOptions { ClusterCidr = text }.Validate().FirstOrDefault(p => p.StartsWith("--cluster-cidr"));
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }
}
