using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.updateStrategy, spec.stopGracePeriod and spec.stopSignal: what loads, what round-trips, every mistake.</summary>
[Trait("Category", "Unit")]
public class UpdateStrategyManifestTests
{
    [Fact]
    public void A_full_strategy_loads_and_writes_back_the_same()
    {
        var result = Load(WithSpec(
            "  stopGracePeriod: 90s", "  stopSignal: SIGINT",
            "  updateStrategy:", "    maxSurge: 1", "    maxUnavailable: \"25%\"", "    order: stop-first",
            "    minReadySeconds: 5", "    progressDeadline: 1m", "    onFailure: rollback"));
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var spec = Assert.Single(result.Services).Spec;

        Assert.Equal(new UpdateStrategy
        {
            MaxSurge = "1", MaxUnavailable = "25%", Order = UpdateOrder.StopFirst, MinReadySeconds = 5, ProgressDeadline = "1m", OnFailure = FailureAction.Rollback,
        }, spec.UpdateStrategy);
        Assert.Equal(("1m30s", "SIGINT"), (spec.StopGracePeriod, spec.StopSignal));
        var again = Load(("web.yaml", ManifestYaml.Write(Assert.Single(result.Services))));
        Assert.True(again.Ok, string.Join("\n", again.Errors));
        Assert.True(Json.SameContent(spec, Assert.Single(again.Services).Spec));
    }

    [Fact]
    public void Without_the_fields_the_defaults_are_kubernetes_and_the_container_hash_is_unchanged()
    {
        var spec = Assert.Single(Load(WithSpec()).Services).Spec;
        Assert.Null(spec.UpdateStrategy);
        Assert.Equal(("25%", "25%", UpdateOrder.StartFirst, FailureAction.Pause), (spec.Update.MaxSurge, spec.Update.MaxUnavailable, spec.Update.Order, spec.Update.OnFailure));
        Assert.DoesNotContain("stop", Json.Serialize(ContainerSpec.From(spec)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_strategy_is_not_part_of_the_container_nor_of_the_revision()
    {
        var a = new ServiceSpec { Image = "local/web:1" };
        var b = a with { UpdateStrategy = new UpdateStrategy { MaxSurge = "3" }, Replicas = 9 };
        Assert.Equal(ContainerSpec.From(a).Hash(), ContainerSpec.From(b).Hash());
        Assert.True(ServiceRevision.SameTemplate(a, b));
        Assert.False(ServiceRevision.SameTemplate(a, a with { StopGracePeriod = "5s" }));
    }

    public static TheoryData<HealthManifestTests.Case> Errors => new()
    {
        new("surge not a number", ["  updateStrategy:", "    maxSurge: lots"], 8, 15, "spec.updateStrategy.maxSurge",
            "must be a whole number like 1, or a percentage from 0% to 100% like \"25%\", got \"lots\""),
        new("percentage above 100", ["  updateStrategy:", "    maxUnavailable: 150%"], 8, 21, "spec.updateStrategy.maxUnavailable", "got \"150%\""),
        new("both zero", ["  updateStrategy:", "    maxSurge: 0", "    maxUnavailable: 0"], 9, 21, "spec.updateStrategy.maxUnavailable",
            "maxSurge and maxUnavailable cannot both be 0"),
        new("order misspelt", ["  updateStrategy:", "    order: start-frist"], 8, 12, "spec.updateStrategy.order",
            "must be one of start-first, stop-first, got \"start-frist\"", "did you mean \"start-first\"?"),
        new("onFailure unknown", ["  updateStrategy:", "    onFailure: retry"], 8, 16, "spec.updateStrategy.onFailure", "must be one of rollback, pause"),
        new("negative minReadySeconds", ["  updateStrategy:", "    minReadySeconds: -1"], 8, 22, "spec.updateStrategy.minReadySeconds", "from 0 to 3600"),
        new("deadline without unit", ["  updateStrategy:", "    progressDeadline: 60"], 8, 23, "spec.updateStrategy.progressDeadline", "must be a duration"),
        new("unknown strategy field", ["  updateStrategy:", "    parallelism: 2"], 8, 5, "spec.updateStrategy.parallelism",
            "unknown field \"parallelism\"; allowed: maxSurge, maxUnavailable, order, minReadySeconds, progressDeadline, onFailure"),
        new("grace not a duration", ["  stopGracePeriod: soon"], 7, 20, "spec.stopGracePeriod", "must be a duration"),
        new("signal unknown", ["  stopSignal: SIGSTOP"], 7, 15, "spec.stopSignal", "must be one of SIGTERM, SIGINT"),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Reports_the_error_where_it_is_with_what_is_allowed(HealthManifestTests.Case c) => HealthManifestTests.AssertReported(c);
}
