using System.CommandLine;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc secret rotate-key`: every secret sealed again with a new key (docs/secrets.md).</summary>
public sealed class SecretCommand(CliContext context)
{
    public Command Build()
    {
        var rotate = new Command("rotate-key", "Seal every secret again with a new encryption key; the old key leaves the key file");
        rotate.SetAction(async (parse, ct) =>
        {
            var rotation = await context.Api(parse).RotateSecretsKeyAsync(ct);
            context.Out.WriteLine($"encryption key rotated: {rotation.Secrets} secret(s) sealed again with key {rotation.KeyId}");
            return 0;
        });
        return new Command("secret", "Manage how secrets are kept") { rotate };
    }
}
