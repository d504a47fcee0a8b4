using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;

namespace Orchestrator.ControlPlane.Tests.Api;

[Trait("Category", "Unit")]
public sealed class LogsReplicaChoiceTests
{
    private static readonly List<Replica> Web =
    [
        new() { Id = "ab12cd", Service = "web", Slot = 1 },
        new() { Id = "ab34ef", Service = "web", Slot = 2 },
        new() { Id = "9f00aa", Service = "web", Slot = 3 },
    ];

    private static string[] Names(string wanted) => LogsEndpoints.Matching(Web, wanted).Select(r => r.ContainerName).ToArray();

    [Theory]
    [InlineData("ab12cd", "web.1.ab12cd")]
    [InlineData("web.2.ab34ef", "web.2.ab34ef")]
    [InlineData("9f", "web.3.9f00aa")]
    [InlineData("web.3", "web.3.9f00aa")]
    public void An_id_a_name_or_an_unambiguous_prefix_names_one_replica(string wanted, string expected) =>
        Assert.Equal([expected], Names(wanted));

    [Fact]
    public void A_shared_prefix_matches_each_replica_it_could_mean() =>
        Assert.Equal(["web.1.ab12cd", "web.2.ab34ef"], Names("ab"));

    [Fact]
    public void Something_no_replica_starts_with_matches_none() =>
        Assert.Empty(Names("zz"));

    [Fact]
    public void An_exact_id_wins_over_longer_ids_it_prefixes()
    {
        List<Replica> replicas = [new() { Id = "ab", Service = "web", Slot = 1 }, new() { Id = "abc", Service = "web", Slot = 2 }];
        Assert.Equal(["web.1.ab"], LogsEndpoints.Matching(replicas, "ab").Select(r => r.ContainerName));
    }
}
