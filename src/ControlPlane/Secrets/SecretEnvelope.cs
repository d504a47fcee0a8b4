using System.Security.Cryptography;

namespace Orchestrator.ControlPlane.Secrets;

/// <summary>
/// A value sealed with envelope encryption: a fresh data key per value encrypts it (AES-256-GCM), and the key ring's
/// primary key encrypts that data key. All base64; <see cref="KeyId"/> names the key that wrapped it.
/// </summary>
public sealed record SealedValue
{
    public string KeyId { get; init; } = "";
    /// <summary>nonce (12) | encrypted data key (32) | tag (16).</summary>
    public string WrappedKey { get; init; } = "";
    /// <summary>nonce (12) | ciphertext | tag (16).</summary>
    public string Ciphertext { get; init; } = "";
}

/// <summary>
/// Envelope encryption with AES-256-GCM. The context (the object's kind, namespace and name) is authenticated data of
/// both layers, so a sealed value copied under another name does not open.
/// </summary>
public sealed class SecretEnvelope(EncryptionKeyRing keys)
{
    private const int NonceBytes = 12, TagBytes = 16;

    public EncryptionKeyRing Keys => keys;

    public SealedValue Seal(byte[] plaintext, string context)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var primary = keys.Primary;
            return new SealedValue
            {
                KeyId = primary.Id,
                WrappedKey = Convert.ToBase64String(Encrypt(primary.Material, dataKey, context)),
                Ciphertext = Convert.ToBase64String(Encrypt(dataKey, plaintext, context)),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <exception cref="SecretUnreadableException">the key is not in the ring, or the value was changed or moved</exception>
    public byte[] Open(SealedValue sealedValue, string context)
    {
        var key = keys.Find(sealedValue.KeyId) ?? throw new SecretUnreadableException(
            $"{context} is sealed with key {sealedValue.KeyId}, which {keys.Path} does not hold (it holds {string.Join(", ", keys.Ids)}); " +
            "give every control plane the same --encryption-key-file");
        byte[]? dataKey = null;
        try
        {
            dataKey = Decrypt(key.Material, Convert.FromBase64String(sealedValue.WrappedKey), context);
            return Decrypt(dataKey, Convert.FromBase64String(sealedValue.Ciphertext), context);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new SecretUnreadableException($"{context} does not open with key {key.Id}: it was changed or written under another name");
        }
        finally
        {
            if (dataKey is not null) CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] Encrypt(byte[] key, byte[] plaintext, string context)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), System.Text.Encoding.UTF8.GetBytes(context));
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedBytes, string context)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes) throw new CryptographicException("too short");
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plaintext,
            System.Text.Encoding.UTF8.GetBytes(context));
        return plaintext;
    }
}

/// <summary>A stored secret that this control plane cannot open; the message says why and what to do, never a value.</summary>
public sealed class SecretUnreadableException(string message) : Exception(message);
