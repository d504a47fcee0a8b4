using Orchestrator.ControlPlane.Clustering;

namespace Orchestrator.ControlPlane.Tests.Clustering;

public sealed class EtcdClusteringOptionsTests
{
    [Fact]
    public void The_defaults_point_at_a_local_etcd_and_are_valid()
    {
        var options = new EtcdClusteringOptions();

        Assert.Equal("http://127.0.0.1:2379", options.ConnectionString);
        Assert.Equal("/orchestrator/orleans/", options.KeyPrefix);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void Several_etcd_members_are_one_comma_separated_connection_string()
    {
        var options = new EtcdClusteringOptions { ConnectionString = "http://10.0.0.1:2379, https://10.0.0.2:2379" };

        Assert.Empty(options.Problems());
    }

    [Theory]
    [InlineData("", "/orchestrator/orleans/", "ConnectionString must name at least one etcd endpoint")]
    [InlineData("127.0.0.1:2379", "/orchestrator/orleans/", "'127.0.0.1:2379' is not an http(s) URL")]
    [InlineData("http://127.0.0.1:2379", "orchestrator/orleans/", "KeyPrefix must start and end with '/'")]
    [InlineData("http://127.0.0.1:2379", "/orchestrator/orleans", "KeyPrefix must start and end with '/'")]
    public void Unusable_options_say_what_is_wrong(string connectionString, string keyPrefix, string problem)
    {
        var options = new EtcdClusteringOptions { ConnectionString = connectionString, KeyPrefix = keyPrefix };

        Assert.Contains(options.Problems(), reported => reported.Contains(problem));
    }
}
