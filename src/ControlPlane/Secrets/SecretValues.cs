namespace Orchestrator.ControlPlane.Secrets;

/// <summary>
/// A secret's values as the bytes that are sealed: count, then per key its name and its value's bytes, length-prefixed.
/// Binary rather than JSON so that a 1 MiB secret, base64 once when stored, still fits one etcd request.
/// </summary>
public static class SecretValues
{
    public static byte[] Encode(IReadOnlyDictionary<string, byte[]> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(values.Count);
            foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                writer.Write(value.Length);
                writer.Write(value);
            }
        }
        return buffer.ToArray();
    }

    public static Dictionary<string, byte[]> Decode(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var count = reader.ReadInt32();
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            values[key] = reader.ReadBytes(reader.ReadInt32());
        }
        return values;
    }
}
