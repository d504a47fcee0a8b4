using System.Text;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Secrets;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>Releases as the store keeps them, against a real etcd: revisions, removal of what is no longer rendered, ownership.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseStoreTests(EtcdServer etcd) : IDisposable
{
    private const string Password = "shop-plaintext-Kq73";
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orc-keys-" + Guid.NewGuid().ToString("N")[..8]);
    private EncryptionKeyRing? _ring;
    private EncryptionKeyRing Ring => _ring ??= EncryptionKeyRing.OpenOrCreate(Path.Combine(_dir, "encryption.key"));
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System, secrets: new SecretEnvelope(Ring));

    public void Dispose()
    {
        _kv.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static LoadResult Objects(params ServiceObject[] services) => new() { Services = [.. services] };

    private static ObjectMeta Owned(string name, string release = "demo") => new() { Name = name, Labels = new() { [ReleaseLabels.Release] = release } };

    private static SecretObject Secret(string name, string release = "demo") => new()
    {
        Metadata = Owned(name, release), Data = new() { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)) },
    };

    /// <summary>A service reading the secret's password into DB_PASSWORD.</summary>
    private static ServiceObject UsesSecret(string name, string secret, string release = "demo") => Svc(name, release) with
    {
        Spec = Svc(name).Spec with { EnvRefs = new() { ["DB_PASSWORD"] = new EnvSource { SecretKeyRef = new KeyRef { Name = secret, Key = "password" } } } },
    };

    private async Task<string> RawKeySpaceAsync() => string.Join("\n", (await _kv.ListAsync(_keys.Root)).Items.Select(i => i.Key + "=" + i.Value));

    private static ServiceObject Svc(string name, string release = "demo") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new() { [ReleaseLabels.Release] = release } },
        Spec = new ServiceSpec { Image = "local/web:1", Resources = new ResourceSpec { Memory = "32Mi" } },
    };

    private static ReleaseRevision Demo(string description) => new() { Name = "demo", Description = description, Chart = new ChartInfo { Name = "web", Version = "1" } };

    [Fact]
    public async Task An_upgrade_removes_what_is_no_longer_rendered_and_supersedes_the_previous_revision()
    {
        var installed = await Store.WriteReleaseAsync(Demo("install"), Objects(Svc("a"), Svc("b")), mustExist: false, dryRun: false);
        var upgraded = await Store.WriteReleaseAsync(Demo("upgrade"), Objects(Svc("a")), mustExist: true, dryRun: false);

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
        await Store.WriteReleaseAsync(Demo("install"), Objects(Svc("a")), mustExist: false, dryRun: false);
        await Store.ApplyServicesAsync([Svc("plain") with { Metadata = new ObjectMeta { Name = "plain" } }], dryRun: false);

        var again = await Store.WriteReleaseAsync(Demo("install"), Objects(Svc("a")), mustExist: false, dryRun: false);
        var other = await Store.WriteReleaseAsync(Demo("install") with { Name = "other" }, Objects(Svc("x", "other"), Svc("a", "other")), mustExist: false, dryRun: false);
        var takeover = await Store.WriteReleaseAsync(Demo("upgrade"), Objects(Svc("plain")), mustExist: true, dryRun: false);
        var missing = await Store.WriteReleaseAsync(Demo("upgrade") with { Name = "nope" }, Objects(Svc("y", "nope")), mustExist: true, dryRun: false);

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
        await Store.WriteReleaseAsync(Demo("install"), Objects(Svc("a"), Svc("b")), mustExist: false, dryRun: false);
        await Store.WriteReleaseAsync(Demo("upgrade"), Objects(Svc("a"), Svc("b")), mustExist: true, dryRun: false);

        var gone = await Store.UninstallReleaseAsync("default", "demo");

        Assert.Equal(["a", "b"], gone.Deleted.Select(d => d.Name));
        Assert.Empty(await Store.ListServicesAsync(null));
        Assert.Empty((await _kv.ListAsync(_keys.Releases)).Items);
        Assert.True((await Store.UninstallReleaseAsync("default", "demo")).NotFound);
    }

    [Fact]
    public async Task A_release_owns_its_secret_and_config_keeps_their_values_sealed_and_uninstall_deletes_them_after_its_services()
    {
        var config = new ConfigObject { Metadata = Owned("scripts"), Data = new() { ["run"] = "echo hi" } };
        var objects = new LoadResult { Services = [UsesSecret("store", "db")], Secrets = [Secret("db")], Configs = [config] };
        var file = new ManifestFile { Name = "secret.yaml", Content = $"stringData: {{password: {Password}}}" };

        var installed = await Store.WriteReleaseAsync(Demo("install") with { Files = [file], Values = $"password: {Password}" }, objects, mustExist: false, dryRun: false);

        Assert.Null(installed.Error);
        Assert.Equal(["demo"], new[] { (await Store.GetSecretAsync("default", "db"))!.Metadata.Labels[ReleaseLabels.Release] });
        Assert.NotNull(await Store.GetConfigAsync("default", "scripts"));
        // The rendered Secret and the values it came from are stored sealed: no plaintext anywhere in the key space...
        Assert.DoesNotContain(Password, await RawKeySpaceAsync());
        // ...and a rollback reads them back, also after the key was rotated and the old key dropped.
        await Store.RotateSecretsKeyAsync();
        var reopened = new ClusterStore(_kv, _keys, TimeProvider.System, secrets: new SecretEnvelope(EncryptionKeyRing.OpenOrCreate(Ring.Path)));
        var revision = Assert.Single(await reopened.ListReleaseRevisionsAsync("default", "demo"));
        Assert.Equal((file.Content, $"password: {Password}"), (revision.Files.Single().Content, revision.Values));
        Assert.Equal(["default/db"], revision.Secrets);
        Assert.Equal(["default/scripts"], revision.Configs);

        var gone = await Store.UninstallReleaseAsync("default", "demo");

        Assert.Equal([("Service", "store"), ("Secret", "db"), ("Config", "scripts")], gone.Deleted.Select(d => (d.Kind, d.Name)));
        Assert.Null(await Store.GetSecretAsync("default", "db"));
        Assert.Null(await Store.GetConfigAsync("default", "scripts"));
    }

    [Fact]
    public async Task A_secret_still_used_outside_the_release_or_by_a_service_that_stays_is_not_deleted_and_nothing_is_written()
    {
        await Store.WriteReleaseAsync(Demo("install"), new LoadResult { Services = [UsesSecret("store", "db")], Secrets = [Secret("db")] }, mustExist: false, dryRun: false);
        await Store.ApplyServicesAsync([UsesSecret("web", "db") with { Metadata = new ObjectMeta { Name = "web" } }], dryRun: false);

        var upgrade = await Store.WriteReleaseAsync(Demo("upgrade"), Objects(UsesSecret("store", "db")), mustExist: true, dryRun: false);
        var uninstall = await Store.UninstallReleaseAsync("default", "demo");

        // The upgrade keeps store (it still uses db) and web; the uninstall deletes store, but web stays.
        Assert.Equal("secret db is used by service default/store (env DB_PASSWORD); service default/web (env DB_PASSWORD); " +
            "delete those services or remove the references first", upgrade.Error);
        Assert.Equal("secret db is used by service default/web (env DB_PASSWORD); delete those services or remove the references first", uninstall.Error);
        Assert.NotNull(await Store.GetServiceAsync("default", "store"));
        Assert.NotNull(await Store.GetSecretAsync("default", "db"));
        Assert.Single(await Store.ListReleaseRevisionsAsync("default", "demo"));
    }

    [Fact]
    public async Task A_secret_that_exists_outside_the_release_is_not_taken_over()
    {
        await Store.ApplyAsync(new LoadResult { Secrets = [Secret("db") with { Metadata = new ObjectMeta { Name = "db" } }] }, dryRun: false);

        var install = await Store.WriteReleaseAsync(Demo("install"), new LoadResult { Secrets = [Secret("db")] }, mustExist: false, dryRun: false);

        Assert.Equal("secret \"default/db\" exists and belongs to no release; delete it or rename the release's secret", install.Error);
        Assert.Empty(await Store.ListReleaseRevisionsAsync("default", "demo"));
    }
}
