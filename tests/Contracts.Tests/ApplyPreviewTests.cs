namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public sealed class ApplyPreviewTests
{
    private static ServiceObject Web(int replicas = 3, string image = "local/web:1", string app = "web") => new()
    {
        Metadata = new ObjectMeta { Name = "web", Labels = new() { ["app"] = app }, Generation = 4, ResourceVersion = 99 },
        Spec = new ServiceSpec { Image = image, Replicas = replicas, Resources = new ResourceSpec { Cpu = "100m", Memory = "32Mi" } },
    };

    [Fact]
    public void A_scale_is_named_with_both_counts_and_replaces_nothing()
    {
        var (diff, effects) = ApplyPreview.Of(Web(3), Web(5) with { Metadata = Web().Metadata with { Generation = 0, ResourceVersion = 0 } });

        Assert.Equal(["scale 3 -> 5"], effects);
        Assert.Equal("""
            --- service/web (live)
            +++ service/web (manifest)
            @@ -7,7 +7,7 @@
                 app: web
             spec:
               image: local/web:1
            -  replicas: 3
            +  replicas: 5
               resources:
                 cpu: 100m
                 memory: 32Mi

            """.ReplaceLineEndings("\n"), diff);
    }

    [Fact]
    public void A_new_image_is_a_rolling_update_of_the_replicas_that_stay()
    {
        var (diff, effects) = ApplyPreview.Of(Web(3), Web(2, image: "local/web:2"));

        Assert.Equal(["scale 3 -> 2", "2 replica(s) will be replaced by a rolling update (start-first, maxSurge 25%, maxUnavailable 25%)"], effects);
        Assert.Contains("\n-  image: local/web:1\n-  replicas: 3\n+  image: local/web:2\n+  replicas: 2\n", diff);
    }

    [Fact]
    public void Labels_alone_change_no_container()
    {
        var (diff, effects) = ApplyPreview.Of(Web(), Web(app: "front"));

        Assert.Equal(["the containers do not change: no rolling update"], effects);
        Assert.Contains("-    app: web\n+    app: front\n", diff);
    }

    [Fact]
    public void The_same_spec_differs_in_nothing_whatever_the_stored_counters_say()
    {
        var (diff, effects) = ApplyPreview.Of(Web(), Web() with { Metadata = Web().Metadata with { Generation = 0, ResourceVersion = 0 } });

        Assert.Null(diff);
        Assert.Empty(effects);
    }

    [Fact]
    public void A_new_service_is_all_added_lines()
    {
        var (diff, effects) = ApplyPreview.Of(null, Web(2));

        Assert.Equal(["create: 2 replica(s) will be placed"], effects);
        Assert.StartsWith("--- /dev/null\n+++ service/web\n@@ -1,0 +1,", diff);
        Assert.All(diff!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(3), l => Assert.StartsWith("+", l));
    }
}
