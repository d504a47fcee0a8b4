namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public sealed class ServiceRevisionTests
{
    private static readonly ServiceSpec Web = new() { Image = "local/web:1", Replicas = 3, Env = new() { ["A"] = "1" } };

    [Fact]
    public void A_replica_count_alone_is_not_a_new_revision() =>
        Assert.True(ServiceRevision.SameTemplate(Web, Web with { Replicas = 9 }));

    public static TheoryData<string, ServiceSpec?, ServiceSpec, string> Causes => new()
    {
        { "first version", null, Web, "created" },
        { "new image", Web, Web with { Image = "local/web:2" }, "image local/web:1 -> local/web:2" },
        { "new env and resources", Web, Web with { Env = new() { ["A"] = "2" }, Resources = new ResourceSpec { Memory = "64Mi" } }, "changed env, resources" },
        { "new probe", Web, Web with { LivenessProbe = new Probe { TcpSocket = new TcpSocketAction { Port = 8080 } } }, "changed livenessProbe" },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void The_change_cause_says_what_changed(string name, ServiceSpec? before, ServiceSpec after, string cause) =>
        Assert.True(cause == ServiceRevision.Describe(before, after), $"{name}: {ServiceRevision.Describe(before, after)}");
}
