using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>Releases as the store keeps them, against a real etcd: revisions, removal of what is no longer rendered, ownership.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseStoreTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);

    public void Dispose() => _kv.Dispose();

    private static ServiceObject Svc(string name, string release = "demo") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new() { [ReleaseLabels.Release] = release } },
        Spec = new ServiceSpec { Image = "local/web:1", Resources = new ResourceSpec { Memory = "32Mi" } },
    };

    private static ReleaseRevision Demo(string description) => new() { Name = "demo", Description = description, Chart = new ChartInfo { Name = "web", Version = "1" } };

    [Fact]
    public async Task An_upgrade_removes_what_is_no_longer_rendered_and_supersedes_the_previous_revision()
    {
        var installed = await Store.WriteReleaseAsync(Demo("install"), [Svc("a"), Svc("b")], mustExist: false, dryRun: false);
        var upgraded = await Store.WriteReleaseAsync(Demo("upgrade"), [Svc("a")], mustExist: true, dryRun: false);

        Assert.Equal((1L, 2L), (installed.Revision, upgraded.Revision));
        Assert.Equal([("a", ApplyActions.Unchanged), ("b", ApplyActions.Deleted)], upgraded.Results.Select(r => (r.Name, r.Action)));
        Assert.Null(await Store.GetServiceAsync("default", "b"));
        var history = await Store.ListReleaseRevisionsAsync("default", "demo");
        Assert.Equal([(1L, ReleaseStates.Superseded), (2L, ReleaseStates.Deployed)], history.Select(r => (r.Revision, r.Status)));
        Assert.Equal(["default/a"], history[1].Services);
    }

    [Fact]
    public async Task An_install_over_an_existing_release_or_someone_elses_service_writes_nothing()
    {
        await Store.WriteReleaseAsync(Demo("install"), [Svc("a")], mustExist: false, dryRun: false);
        await Store.ApplyServicesAsync([Svc("plain") with { Metadata = new ObjectMeta { Name = "plain" } }], dryRun: false);

        var again = await Store.WriteReleaseAsync(Demo("install"), [Svc("a")], mustExist: false, dryRun: false);
        var other = await Store.WriteReleaseAsync(Demo("install") with { Name = "other" }, [Svc("x", "other"), Svc("a", "other")], mustExist: false, dryRun: false);
        var takeover = await Store.WriteReleaseAsync(Demo("upgrade"), [Svc("plain")], mustExist: true, dryRun: false);
        var missing = await Store.WriteReleaseAsync(Demo("upgrade") with { Name = "nope" }, [Svc("y", "nope")], mustExist: true, dryRun: false);

        Assert.Equal("release \"default/demo\" already exists (revision 1); use upgrade", again.Error);
        Assert.Equal("service \"default/a\" belongs to release \"demo\"", other.Error);
        Assert.Equal("service \"default/plain\" exists and belongs to no release; delete it or rename the release's service", takeover.Error);
        Assert.True(missing.NotFound);
        Assert.Null(await Store.GetServiceAsync("default", "x"));
        Assert.Empty(await Store.ListReleaseRevisionsAsync("default", "other"));
        Assert.Single(await Store.ListReleaseRevisionsAsync("default", "demo"));
    }

    [Fact]
    public async Task Uninstall_deletes_the_services_and_every_revision()
    {
        await Store.WriteReleaseAsync(Demo("install"), [Svc("a"), Svc("b")], mustExist: false, dryRun: false);
        await Store.WriteReleaseAsync(Demo("upgrade"), [Svc("a"), Svc("b")], mustExist: true, dryRun: false);

        var gone = await Store.UninstallReleaseAsync("default", "demo");

        Assert.Equal(["a", "b"], gone.Deleted.Select(d => d.Name));
        Assert.Empty(await Store.ListServicesAsync(null));
        Assert.Empty((await _kv.ListAsync(_keys.Releases)).Items);
        Assert.True((await Store.UninstallReleaseAsync("default", "demo")).NotFound);
    }
}
