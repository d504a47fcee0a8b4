namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class VolumeAffinityTests
{
    private readonly Placer _placer = Placer.CreateDefault();

    public static TheoryData<string, ClusterBuilder, RequestBuilder, string, string> Cases => new()
    {
        { "a slot goes back to the node of its volume, against spread",
            Cluster(Nodes(3)).With(Replica("db").On("n2"), Replica("db").Slot(3).On("n2")), Request("db").Slots(2).VolumeOn(2, "n2"), "2=n2", "" },
        { "slots without a volume are placed as usual beside a pinned one",
            Cluster(Nodes(2)), Request("db").Slots(1, 2).VolumeOn(1, "n1"), "1=n1,2=n2", "" },
        { "a Down holder keeps the slot Pending with the reason",
            Cluster(Node("n1"), Node("h2").Down()), Request("db").Slots(2).VolumeOn(2, "h2"), "",
            "2: volume data of slot 2 is on node h2, which is Down" },
        { "a NotReady holder too",
            Cluster(Node("n1"), Node("h2").NotReady()), Request("db").Slots(2).VolumeOn(2, "h2"), "",
            "2: volume data of slot 2 is on node h2, which is NotReady" },
        { "a removed node is named",
            Cluster(Node("n1")), Request("db").Slots(3).VolumeOn(3, "gone"), "",
            "3: volume data of slot 3 is on node gone, which is not a registered node" },
        { "the holder's other filters still apply",
            Cluster(Node("n1").Cpu("1"), Node("n2")), Request("db").Cpu("2").Slots(1).VolumeOn(1, "n1"), "",
            "1: volume data of slot 1 is on node n1, which cannot take it: insufficient cpu" },
        { "one pinned slot waiting does not hold back the others",
            Cluster(Node("n1"), Node("h2").Down()), Request("db").Slots(1, 2, 3).VolumeOn(2, "h2").VolumeOn(1, "n1"), "1=n1,3=n1",
            "2: volume data of slot 2 is on node h2, which is Down" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Keeps_a_slot_with_its_volume(string name, ClusterBuilder cluster, RequestBuilder request, string placed, string unplaced)
    {
        var result = _placer.Place(cluster, request);

        Assert.Equal(placed, string.Join(",", result.Placements.Select(p => $"{p.Slot}={p.Node}")));
        Assert.Equal(unplaced, string.Join(";", result.Unplaced.Select(u => $"{u.Slot}: {u.Explanation}")));
    }

    [Fact]
    public void The_reason_of_a_pinned_placement_says_so()
    {
        var result = _placer.Place(Cluster(Nodes(2)), Request("db").Slots(1).VolumeOn(1, "n2"));

        Assert.Equal("volume affinity: slot 1's volume is on n2", Assert.Single(result.Placements).Reason);
    }
}
