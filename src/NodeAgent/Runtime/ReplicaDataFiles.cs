using System.Text;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// Turns a replica's references to secrets and configs into what its container gets: env values, and files in a folder
/// of its own under <paramref name="root"/>, which must be on tmpfs (memory, never the node's disk; Docker Swarm's
/// /run/secrets), bound read-only into the container. The values are fetched when the container is created and dropped
/// with the replica (<see cref="DropAllBut"/>). Nothing here logs a value: only names and keys.
/// </summary>
public sealed class ReplicaDataFiles(IReplicaDataSource source, string root, ILogger<ReplicaDataFiles> log)
{
    public string Root => root;

    public static bool Uses(ContainerSpec spec) => spec.EnvRefs is { Count: > 0 } || spec.Volumes?.Any(v => v.Data is not null) == true;

    public async Task<ReplicaInputs> PrepareAsync(Replica replica, CancellationToken ct)
    {
        var spec = replica.Container;
        if (!Uses(spec)) return ReplicaInputs.None;
        var fetched = new Dictionary<(string, string), Dictionary<string, byte[]>?>();
        async Task<Dictionary<string, byte[]>?> Data(string kind, string name)
        {
            if (!fetched.TryGetValue((kind, name), out var data))
            {
                var delivered = await source.FetchDataAsync(kind, replica.Namespace, name, ct);
                data = delivered?.Data.ToDictionary(d => d.Key, d => Convert.FromBase64String(d.Value));
                fetched[(kind, name)] = data;
            }
            return data;
        }

        var env = new Dictionary<string, string>();
        foreach (var (variable, from) in spec.EnvRefs ?? [])
        {
            var data = await Data(from.Kind, from.Ref.Name);
            if (data?.GetValueOrDefault(from.Ref.Key) is { } value) env[variable] = Encoding.UTF8.GetString(value);
            else if (!from.Ref.Optional) throw Missing(from.Kind, replica.Namespace, from.Ref.Name, data is null ? null : from.Ref.Key);
        }

        var mounts = new List<BindMount>();
        var mounted = ContainerMounts.Of(spec.Volumes, spec.VolumeMounts).Where(m => m.Volume.Data is not null).ToList();
        if (mounted.Count > 0)
        {
            EnsureTmpfs();
            var replicaDir = ReplicaDir(replica.Id);
            foreach (var (volume, path, _) in mounted)
            {
                var (kind, name) = volume.Data!.Value;
                var data = await Data(kind, name);
                if (data is null && !volume.Optional) throw Missing(kind, replica.Namespace, name, null);
                var dir = Path.Combine(replicaDir, volume.Name);
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Directory.CreateDirectory(dir, Mode.Dir);
                foreach (var (key, file) in Files(volume, data))
                {
                    if (data?.GetValueOrDefault(key) is not { } value)
                    {
                        if (!volume.Optional) throw Missing(kind, replica.Namespace, name, key);
                        continue;
                    }
                    var target = Path.Combine(dir, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!, Mode.Dir);
                    using (var stream = new FileStream(target, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Mode.File }))
                        stream.Write(value);
                    File.SetUnixFileMode(target, Mode.File);
                }
                // Secrets and configs are the agent's copy: the container reads them, never writes them.
                mounts.Add(new BindMount(dir, path, ReadOnly: true));
            }
            log.LogInformation("wrote {Volumes} volume(s) of secrets/configs for replica {Replica} under {Dir}", mounted.Count, replica.Id, replicaDir);
        }
        return new ReplicaInputs(env, mounts);
    }

    /// <summary>Each key at a file of its name, or only the items at their paths.</summary>
    private static IEnumerable<(string Key, string File)> Files(VolumeSpec volume, Dictionary<string, byte[]>? data)
    {
        var items = volume.Secret?.Items ?? volume.Config?.Items;
        return items is not null ? items.Select(i => (i.Key, i.Path)) : (data?.Keys.AsEnumerable() ?? []).Select(k => (k, k));
    }

    /// <summary>Removes the files of every replica not in <paramref name="keep"/>: a replica that goes takes its secrets with it.</summary>
    public void DropAllBut(IEnumerable<string> keep)
    {
        if (!Directory.Exists(root)) return;
        var ids = keep.ToHashSet(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(root))
        {
            if (ids.Contains(Path.GetFileName(dir))) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
                log.LogInformation("dropped the secrets/configs of replica {Replica}", Path.GetFileName(dir));
            }
            catch (IOException e) { log.LogWarning("could not drop {Dir}: {Message}", dir, e.Message); }
        }
    }

    private string ReplicaDir(string replicaId) => Path.Combine(root, replicaId);

    private void EnsureTmpfs()
    {
        Directory.CreateDirectory(root, Mode.Private);
        var type = new DriveInfo(root).DriveFormat;
        if (type != "tmpfs")
            throw new InvalidOperationException($"the secrets folder {root} is on {type}, not tmpfs: secret files are never written to disk; " +
                "start the agent with --secrets-dir on a tmpfs (like /dev/shm/...)");
    }

    private static Exception Missing(string kind, string ns, string name, string? key) => new InvalidOperationException(key is null
        ? $"{kind} {ns}/{name} does not exist; create it, or mark the reference optional"
        : $"{kind} {ns}/{name} has no key \"{key}\"");

    private static class Mode
    {
        public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        // Readable by any user of the container (its uid is the image's); the folder above the replica's is the agent's alone.
        public const UnixFileMode Dir = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    }
}
