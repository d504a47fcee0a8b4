using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>Which replica `orc exec TARGET` and `orc port-forward TARGET` reach (<see cref="ReplicaTarget"/>).</summary>
[Trait("Category", "Unit")]
public sealed class ReplicaTargetTests
{
    private static readonly List<Replica> Replicas =
    [
        new() { Id = "ab12cd", Service = "web", Slot = 1 },
        new() { Id = "ab34ef", Service = "web", Slot = 2 },
        new() { Id = "9f00aa", Service = "api", Slot = 1 },
        new() { Id = "77aa00", Service = "api", Slot = 2, Terminating = true },
    ];

    private static Dictionary<string, ReplicaStatus> States(params (string Id, ReplicaState State)[] states) =>
        states.ToDictionary(s => s.Id, s => new ReplicaStatus { ReplicaId = s.Id, State = s.State });

    [Theory]
    [InlineData("a service: its first running replica by slot", "web", "web.2.ab34ef")]
    [InlineData("a replica's name", "web.1.ab12cd", "web.1.ab12cd")]
    [InlineData("a replica's id", "9f00aa", "api.1.9f00aa")]
    [InlineData("an unambiguous prefix", "ab3", "web.2.ab34ef")]
    public void Names_one_replica(string name, string wanted, string expected)
    {
        var choice = ReplicaTarget.Choose("default", wanted, Replicas,
            States(("ab12cd", ReplicaState.Pending), ("ab34ef", ReplicaState.Running), ("9f00aa", ReplicaState.Running)));
        Assert.True(choice.Replica?.ContainerName == expected, $"{name}: {choice.Replica?.ContainerName ?? choice.Error}");
    }

    [Theory]
    [InlineData("nothing by that name", "nope", 404, "no service or replica \"nope\" in namespace \"default\"")]
    [InlineData("a prefix of two", "ab", 400, "replica \"ab\" is ambiguous in namespace \"default\": it matches web.1.ab12cd, web.2.ab34ef")]
    [InlineData("a service with none running (a terminating one does not count)", "api", 409,
        "service \"default/api\" has no running replica: api.1.9f00aa is Pending, api.2.77aa00 is Running")]
    [InlineData("a service whose replicas were never reported", "web", 409,
        "service \"default/web\" has no running replica: web.1.ab12cd is not reported yet, web.2.ab34ef is not reported yet")]
    public void Says_why_none(string name, string wanted, int status, string error)
    {
        var states = wanted == "web" ? States() : States(("9f00aa", ReplicaState.Pending), ("77aa00", ReplicaState.Running));
        var choice = ReplicaTarget.Choose("default", wanted, Replicas, states);
        Assert.True(choice.Replica is null, name);
        Assert.Equal((status, error), (choice.Status, choice.Error));
    }
}
