using System.Security.Cryptography;
using System.Text.Json;

namespace Orchestrator.ControlPlane.Secrets;

/// <summary>One key-encryption key: 32 random bytes and an id derived from them (so two files holding the same key agree).</summary>
public sealed record EncryptionKey(string Id, byte[] Material)
{
    public static EncryptionKey New() => Of(RandomNumberGenerator.GetBytes(32));

    public static EncryptionKey Of(byte[] material) =>
        new(Convert.ToHexStringLower(SHA256.HashData(material))[..12], material);
}

/// <summary>
/// The key-encryption keys of this control plane, kept in a file outside etcd (Kubernetes' EncryptionConfiguration,
/// aesgcm provider): the first key seals, every key opens. The file is made at first start (0600, its folder 0700) and
/// rewritten whole (a temporary file renamed over it) when a rotation adds a key or retires the old ones. Every
/// control plane of a cluster must be given the same file.
/// </summary>
public sealed class EncryptionKeyRing
{
    private readonly object _lock = new();
    private List<EncryptionKey> _keys;

    public string Path { get; }

    private EncryptionKeyRing(string path, List<EncryptionKey> keys) => (Path, _keys) = (path, keys);

    public EncryptionKey Primary { get { lock (_lock) return _keys[0]; } }
    public IReadOnlyList<string> Ids { get { lock (_lock) return _keys.Select(k => k.Id).ToList(); } }

    public EncryptionKey? Find(string id) { lock (_lock) return _keys.FirstOrDefault(k => k.Id == id); }

    /// <summary>Reads the file, or makes it with one new key when there is none.</summary>
    /// <exception cref="InvalidDataException">the file exists but is not a key file, or others may read it</exception>
    public static EncryptionKeyRing OpenOrCreate(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // Two control planes starting at once on one folder: the second rename loses and reads the first's key.
            if (!Write(full, [EncryptionKey.New()], overwrite: false) && !File.Exists(full))
                throw new InvalidDataException($"{full}: could not be created");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            throw new InvalidDataException($"{full} may be read by other users ({Convert.ToString((int)File.GetUnixFileMode(full), 8)}); run chmod 600 {full}");
        return new EncryptionKeyRing(full, Read(full));
    }

    /// <summary>Makes a new key the one that seals; the old ones still open until <see cref="RetireOldKeys"/>.</summary>
    public EncryptionKey AddPrimary()
    {
        lock (_lock)
        {
            var key = EncryptionKey.New();
            var next = new List<EncryptionKey> { key };
            next.AddRange(_keys);
            Write(Path, next, overwrite: true);
            _keys = next;
            return key;
        }
    }

    /// <summary>Keeps only the primary key: after a rotation re-sealed everything, the old keys are no longer needed.</summary>
    public void RetireOldKeys()
    {
        lock (_lock)
        {
            var next = new List<EncryptionKey> { _keys[0] };
            Write(Path, next, overwrite: true);
            _keys = next;
        }
    }

    private sealed record KeyFile(List<KeyEntry> Keys);
    private sealed record KeyEntry(string Id, string Key);

    private static List<EncryptionKey> Read(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path), Contracts.Json.Options);
            var keys = file?.Keys.Select(k => EncryptionKey.Of(Convert.FromBase64String(k.Key))).ToList() ?? [];
            if (keys.Count == 0 || keys.Any(k => k.Material.Length != 32))
                throw new InvalidDataException("it must hold at least one key of 32 bytes");
            return keys;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not an encryption key file ({e.Message}); point --encryption-key-file at the file this cluster was started with");
        }
    }

    /// <returns>false when <paramref name="overwrite"/> is false and the file appeared meanwhile</returns>
    private static bool Write(string path, List<EncryptionKey> keys, bool overwrite)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var text = JsonSerializer.Serialize(new KeyFile(keys.Select(k => new KeyEntry(k.Id, Convert.ToBase64String(k.Material))).ToList()), Contracts.Json.Options);
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite)
        {
            File.Delete(temporary);
            return false;
        }
    }
}
