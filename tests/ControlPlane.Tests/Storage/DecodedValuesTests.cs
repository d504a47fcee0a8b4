using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>One mod revision of a key is decoded once, whoever reads it; the next revision is decoded again.</summary>
[Trait("Category", "Unit")]
public sealed class DecodedValuesTests
{
    [Fact]
    public void A_value_is_decoded_once_and_its_next_revision_again()
    {
        var decoded = new DecodedValues();
        var first = new StoredValue("/r/a", Json.Serialize(new Replica { Id = "a", Node = "n1" }), 5, 5);

        var one = decoded.Get(first, ClusterStore.ReadReplica);
        var two = decoded.Get(first, ClusterStore.ReadReplica);
        Assert.Same(one, two);
        Assert.Equal((1L, 5L), (decoded.Decodes, one.ResourceVersion));

        var next = new StoredValue("/r/a", Json.Serialize(new Replica { Id = "a", Node = "n2" }), 9, 5);
        var three = decoded.Get(next, ClusterStore.ReadReplica);
        Assert.Equal((2L, "n2", 9L), (decoded.Decodes, three.Node, three.ResourceVersion));
    }

    [Fact]
    public void A_value_that_does_not_read_throws_every_time()
    {
        var decoded = new DecodedValues();
        var bad = new StoredValue("/r/bad", "{not json", 3, 3);

        Assert.Throws<UnreadableRecordException>(() => decoded.Get(bad, ClusterStore.ReadReplica));
        Assert.Throws<UnreadableRecordException>(() => decoded.Get(bad, ClusterStore.ReadReplica));
    }
}
