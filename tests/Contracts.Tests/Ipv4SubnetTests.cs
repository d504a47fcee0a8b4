using Orchestrator.Contracts;

namespace Orchestrator.Contracts.Tests;

public sealed class Ipv4SubnetTests
{
    [Theory]
    [InlineData("10.240.0.0/16", true)]
    [InlineData("10.240.3.0/24", true)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.240.3.1/24", false)] // host bits set
    [InlineData("10.240.0.0", false)]
    [InlineData("10.240.0.0/33", false)]
    [InlineData("10.240.0.0/-1", false)]
    [InlineData("10.240/16", false)]
    [InlineData("fd00::/64", false)]
    [InlineData("", false)]
    public void Parses_only_ipv4_ranges_with_their_host_bits_zero(string text, bool valid)
    {
        Assert.Equal(valid, Ipv4Subnet.TryParse(text, out var subnet));
        if (valid) Assert.Equal(text, subnet.ToString());
    }

    [Fact]
    public void Splits_a_range_into_node_subnets_in_order()
    {
        var parts = Ipv4Subnet.Parse("10.240.0.0/22").Split(24).Select(s => s.ToString()).ToList();
        Assert.Equal(["10.240.0.0/24", "10.240.1.0/24", "10.240.2.0/24", "10.240.3.0/24"], parts);
        Assert.Equal("10.240.3.1", Ipv4Subnet.Parse("10.240.3.0/24").Address(1));
        Assert.True(Ipv4Subnet.Parse("10.240.0.0/16").Contains(Ipv4Subnet.Parse("10.240.9.0/24")));
        Assert.False(Ipv4Subnet.Parse("10.240.0.0/16").Contains(Ipv4Subnet.Parse("10.241.0.0/24")));
    }
}
