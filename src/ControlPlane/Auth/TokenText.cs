using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>
/// A token as a person copies it: "orc.ID.SECRET". The id names the record in etcd (tokens/ID); only the SHA-256 of
/// the secret is stored, so a copy of etcd gives nobody a working token.
/// </summary>
public sealed record TokenText(string Id, string Secret)
{
    public const string Prefix = "orc";

    public override string ToString() => $"{Prefix}.{Id}.{Secret}";

    public string SecretHash => Hash(Secret);

    public static TokenText Generate() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    /// <summary>Null for anything that is not "orc.ID.SECRET" with a hex id.</summary>
    public static TokenText? TryParse(string? text)
    {
        var parts = text?.Trim().Split('.');
        if (parts is not [Prefix, var id, var secret] || id.Length is < 1 or > 32 || secret.Length is < 16 or > 128) return null;
        return id.All(char.IsAsciiHexDigitLower) ? new TokenText(id, secret) : null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares in constant time, so that the answer's timing says nothing about the stored hash.</summary>
    public bool Matches(string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash), Encoding.ASCII.GetBytes(storedHash));
}
