using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

[Trait("Category", "Unit")]
public sealed class ServiceReconcilerTests
{
    private static readonly ServiceObject Web = new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec { Image = "local/web:1", Replicas = 3, Resources = new ResourceSpec { Memory = "32Mi" } },
    };

    private static readonly string WebHash = ContainerSpec.From(Web.Spec).Hash();
    private static readonly HashSet<string> Nodes = ["n1", "n2"];

    private static Replica R(int slot, string node = "n1", string? hash = null, string? id = null, int ageSeconds = 0) => new()
    {
        Id = id ?? $"r{slot}{node}",
        Service = "web",
        Slot = slot,
        Node = node,
        SpecHash = hash ?? WebHash,
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(1000 - ageSeconds),
    };

    public static TheoryData<string, ServiceObject?, Replica[], int[], string[]> Cases => new()
    {
        { "nothing assigned: place every slot", Web, [], [1, 2, 3], [] },
        { "all slots filled: nothing to do", Web, [R(1), R(2, "n2"), R(3)], [], [] },
        { "one slot missing: place only it", Web, [R(1), R(3)], [2], [] },
        { "scaled down: remove the highest slots", Web with { Spec = Web.Spec with { Replicas = 1 } }, [R(1), R(2), R(3)], [], ["r2n1:scaled down", "r3n1:scaled down"] },
        { "scaled to zero: remove all", Web with { Spec = Web.Spec with { Replicas = 0 } }, [R(1), R(2)], [], ["r1n1:scaled down", "r2n1:scaled down"] },
        { "service deleted: remove all", null, [R(1), R(2)], [], ["r1n1:service deleted", "r2n1:service deleted"] },
        { "spec changed: remove and place again", Web, [R(1), R(2, hash: "old"), R(3)], [2], ["r2n1:spec changed"] },
        { "node gone: remove and place again", Web, [R(1), R(2, "gone"), R(3)], [2], ["r2gone:node no longer registered"] },
        { "two replicas in one slot: the older stays", Web, [R(1), R(2, id: "young", ageSeconds: 1), R(2, id: "old", ageSeconds: 50), R(3)], [], ["young:duplicate of another replica in the same slot"] },
        { "slot 0 is never valid", Web, [R(0), R(1), R(2), R(3)], [], ["r0n1:scaled down"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string name, ServiceObject? service, Replica[] replicas, int[] place, string[] remove)
    {
        var plan = ServiceReconciler.Plan(service, replicas, Nodes);

        Assert.True(place.SequenceEqual(plan.Place), $"{name}: place {string.Join(",", plan.Place)}");
        Assert.Equal(remove.OrderBy(x => x), plan.Remove.Select(r => $"{r.Replica.Id}:{r.Reason}").OrderBy(x => x));
    }

    [Fact]
    public void A_replica_removed_for_a_changed_spec_frees_its_slot_for_placement()
    {
        var plan = ServiceReconciler.Plan(Web, [R(1, hash: "old"), R(2, hash: "old"), R(3, hash: "old")], Nodes);

        Assert.Equal(3, plan.Remove.Count);
        Assert.Equal([1, 2, 3], plan.Place);
    }
}
