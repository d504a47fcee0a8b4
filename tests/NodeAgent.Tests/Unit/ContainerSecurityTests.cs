using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ContainerSecurityTests
{
    [Theory]
    [InlineData("", "", "NET_RAW")]
    [InlineData("NET_RAW", "", "")]
    [InlineData("KILL", "", "NET_RAW")]
    [InlineData("", "CHOWN", "NET_RAW,CHOWN")]
    [InlineData("NET_BIND_SERVICE", "ALL,CHOWN", "ALL")]
    public void Capability_changes_keep_the_default_drop_unless_added_back(string add, string drop, string expectedDrop)
    {
        var caps = new Capabilities { Add = Split(add), Drop = Split(drop) };

        var (added, dropped) = ContainerSecurity.CapabilityChanges(caps);

        Assert.Equal(Split(add), added);
        Assert.Equal(Split(expectedDrop), dropped);
    }

    private static List<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static ContainerSpec Spec(bool? nonRoot, long? uid = null) =>
        new() { Image = "local/app:1", SecurityContext = new SecurityContext { RunAsNonRoot = nonRoot, RunAsUser = uid } };

    [Theory]
    [InlineData(null, null, "", null)]
    [InlineData(false, null, "", null)]
    [InlineData(true, null, "", "runs as root (its USER is not set)")]
    [InlineData(true, null, "root", "runs as root (its USER is root)")]
    [InlineData(true, null, "0:0", "runs as root (its USER is 0)")]
    [InlineData(true, null, "nobody", "a name that cannot be checked for root")]
    [InlineData(true, null, "1000:1000", null)]
    [InlineData(true, 1000L, "", null)]
    [InlineData(true, 0L, "1000", "runAsUser is 0 (root)")]
    public void RunAsNonRoot_refuses_what_could_be_root(bool? nonRoot, long? uid, string imageUser, string? refusal)
    {
        var answer = ContainerSecurity.NonRootRefusal(Spec(nonRoot, uid), imageUser);

        if (refusal is null) Assert.Null(answer);
        else Assert.Contains(refusal, answer);
    }
}
