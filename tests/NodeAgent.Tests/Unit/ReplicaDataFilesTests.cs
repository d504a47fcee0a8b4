using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>
/// A replica's references turned into env values and files: on tmpfs only, items at their paths, optional ones skipped,
/// a missing required one refused by name (never by value), and the files dropped with the replica.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReplicaDataFilesTests : IDisposable
{
    private readonly string _root = Path.Combine("/dev/shm", "orc-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeData _data = new();

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private sealed class FakeData : IReplicaDataSource
    {
        public Dictionary<(string, string), Dictionary<string, string>> Objects { get; } = new();
        public List<string> Asked { get; } = new();

        public Task<DeliveredData?> FetchDataAsync(string kind, string ns, string name, CancellationToken ct)
        {
            Asked.Add($"{kind} {ns}/{name}");
            return Task.FromResult(Objects.TryGetValue((kind, name), out var data)
                ? new DeliveredData { Kind = kind, Namespace = ns, Name = name, Data = data.ToDictionary(d => d.Key, d => Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))) }
                : null);
        }
    }

    private static Replica Using(ContainerSpec spec) => new() { Id = "r1", Namespace = "default", Service = "web", Slot = 1, Container = spec };

    private static readonly ContainerSpec Spec = new()
    {
        EnvRefs = new()
        {
            ["PASSWORD"] = new EnvSource { SecretKeyRef = new KeyRef { Name = "db", Key = "password" } },
            ["MAYBE"] = new EnvSource { ConfigKeyRef = new KeyRef { Name = "absent", Key = "x", Optional = true } },
        },
        Volumes =
        [
            new VolumeSpec { Name = "creds", Secret = new SecretVolumeSource { SecretName = "db" } },
            new VolumeSpec { Name = "conf", Config = new ConfigVolumeSource { Name = "app", Items = [new KeyToPath { Key = "a.conf", Path = "sub/app.conf" }] } },
        ],
        VolumeMounts = [new VolumeMount { Name = "conf", MountPath = "/etc/app" }],
    };

    [Fact]
    public async Task Env_and_files_come_from_one_fetch_per_object_on_tmpfs_and_go_with_the_replica()
    {
        _data.Objects[("secret", "db")] = new() { ["password"] = "s3cret", ["user"] = "admin" };
        _data.Objects[("config", "app")] = new() { ["a.conf"] = "listen 80", ["other"] = "x" };
        var files = new ReplicaDataFiles(_data, _root, NullLogger<ReplicaDataFiles>.Instance);

        var inputs = await files.PrepareAsync(Using(Spec), CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["PASSWORD"] = "s3cret" }, inputs.Env);
        Assert.Equal(["config default/absent", "config default/app", "secret default/db"], _data.Asked.Order());
        var secrets = Assert.Single(inputs.Mounts, m => m.Target == "/run/secrets/db");
        Assert.True(secrets.ReadOnly);
        Assert.Equal("s3cret", File.ReadAllText(Path.Combine(secrets.Source, "password")));
        Assert.Equal("tmpfs", new DriveInfo(secrets.Source).DriveFormat);
        var conf = Assert.Single(inputs.Mounts, m => m.Target == "/etc/app");
        Assert.Equal(["sub/app.conf"], Directory.GetFiles(conf.Source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(conf.Source, f)));

        files.DropAllBut(["another"]);
        Assert.False(Directory.Exists(secrets.Source));
    }

    [Fact]
    public async Task A_missing_required_object_or_key_is_named_and_nothing_is_said_of_values()
    {
        var files = new ReplicaDataFiles(_data, _root, NullLogger<ReplicaDataFiles>.Instance);
        var gone = await Assert.ThrowsAsync<InvalidOperationException>(() => files.PrepareAsync(Using(Spec), CancellationToken.None));
        Assert.Contains("secret default/db does not exist", gone.Message);

        _data.Objects[("secret", "db")] = new() { ["user"] = "admin" };
        var noKey = await Assert.ThrowsAsync<InvalidOperationException>(() => files.PrepareAsync(Using(Spec), CancellationToken.None));
        Assert.Equal("secret default/db has no key \"password\"", noKey.Message);
    }

    [Fact]
    public async Task A_folder_not_on_tmpfs_is_refused_before_a_value_is_written()
    {
        _data.Objects[("secret", "db")] = new() { ["password"] = "s3cret" };
        _data.Objects[("config", "app")] = new() { ["a.conf"] = "x" };
        var onDisk = Path.Combine(Path.GetTempPath(), "orc-test-" + Guid.NewGuid().ToString("N")[..8]);
        if (new DriveInfo(Path.GetTempPath()).DriveFormat == "tmpfs") return; // this machine's /tmp is memory too: nothing to show
        try
        {
            var files = new ReplicaDataFiles(_data, onDisk, NullLogger<ReplicaDataFiles>.Instance);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => files.PrepareAsync(Using(Spec), CancellationToken.None));
            Assert.Contains("not tmpfs", refused.Message);
            Assert.Empty(Directory.GetFileSystemEntries(onDisk));
        }
        finally
        {
            if (Directory.Exists(onDisk)) Directory.Delete(onDisk, recursive: true);
        }
    }
}
