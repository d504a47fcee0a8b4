using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>The one JSON form used on the wire and in etcd: camelCase, enums as strings, nulls left out.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Options);

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>
    /// SHA-256 of the value's JSON, hashed as it is written: a view of the whole cluster (megabytes at 30,000 replicas)
    /// is never held as one string, which would be a large-object allocation at every change.
    /// </summary>
    public static byte[] Sha256Of<T>(T value)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        JsonSerializer.Serialize(new HashingStream(hash), value, Options);
        return hash.GetHashAndReset();
    }

    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null {typeof(T).Name}");

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>12 hex characters of the SHA-256 of the canonical JSON (dictionary keys sorted).</summary>
    public static string Hash<T>(T value)
    {
        var canonical = Canonical(JsonSerializer.SerializeToNode(value, Options));
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(bytes)[..12];
    }

    /// <summary>True when both values serialize to the same canonical JSON (the meaning of "unchanged").</summary>
    public static bool SameContent<T>(T a, T b) =>
        Canonical(JsonSerializer.SerializeToNode(a, Options)) == Canonical(JsonSerializer.SerializeToNode(b, Options));

    private static string Canonical(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        System.Text.Json.Nodes.JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
