using Orchestrator.ControlPlane.Secrets;

namespace Orchestrator.ControlPlane.Tests.Secrets;

[Trait("Category", "Unit")]
public sealed class EncryptionKeyRingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orc-keyring-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_start_makes_a_key_file_only_its_owner_reads_and_the_next_start_reads_the_same_key()
    {
        var path = Path.Combine(_dir, "data", "encryption.key");

        var made = EncryptionKeyRing.OpenOrCreate(path);
        var again = EncryptionKeyRing.OpenOrCreate(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(made.Primary.Id, again.Primary.Id);
        Assert.Equal(made.Primary.Material, again.Primary.Material);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void A_key_file_others_may_read_is_refused_with_the_fix()
    {
        var path = Path.Combine(_dir, "encryption.key");
        EncryptionKeyRing.OpenOrCreate(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var e = Assert.Throws<InvalidDataException>(() => EncryptionKeyRing.OpenOrCreate(path));
        Assert.Equal($"{path} may be read by other users (644); run chmod 600 {path}", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_key_file_is_refused_not_replaced()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "encryption.key");
        File.WriteAllText(path, "not json");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var e = Assert.Throws<InvalidDataException>(() => EncryptionKeyRing.OpenOrCreate(path));
        Assert.StartsWith($"{path} is not an encryption key file (", e.Message);
        Assert.Equal("not json", File.ReadAllText(path));
    }

    [Fact]
    public void Sealing_twice_gives_different_bytes_and_each_opens_only_in_its_own_context()
    {
        var envelope = new SecretEnvelope(EncryptionKeyRing.OpenOrCreate(Path.Combine(_dir, "k")));
        var plaintext = "same value"u8.ToArray();

        var a = envelope.Seal(plaintext, "secret default/a");
        var b = envelope.Seal(plaintext, "secret default/a");

        Assert.NotEqual(a.Ciphertext, b.Ciphertext);
        Assert.NotEqual(a.WrappedKey, b.WrappedKey);
        Assert.Equal(plaintext, envelope.Open(b, "secret default/a"));
        Assert.Throws<SecretUnreadableException>(() => envelope.Open(a, "secret default/b"));
        var tampered = a with { Ciphertext = Convert.ToBase64String(Convert.FromBase64String(a.Ciphertext).Select((x, i) => i == 20 ? (byte)(x ^ 1) : x).ToArray()) };
        Assert.Throws<SecretUnreadableException>(() => envelope.Open(tampered, "secret default/a"));
    }
}
