using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc token create|list|revoke`: bearer tokens with a role (docs/security.md). A token's text is printed once, when made.</summary>
public sealed class TokenCommand(CliContext context)
{
    public Command Build()
    {
        var token = new Command("token", "Create, list and revoke the bearer tokens people and tools use");
        token.Add(Create());
        token.Add(List());
        token.Add(Revoke());
        return token;
    }

    /// <summary>--ttl as the server takes it ("24h", "30m"); the same option for join tokens.</summary>
    public static Option<string?> Ttl() => new("--ttl")
    {
        Description = "How long the token lives (e.g. 30m, 24h, 90d); default: until revoked",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out var d) && d > TimeSpan.Zero) return text;
            result.AddError($"--ttl takes {Durations.Allowed}, above 0, got \"{text}\"");
            return null;
        },
    };

    private Command Create()
    {
        var role = new Option<string>("--role") { Description = "viewer (reads all but logs) or admin (everything)", Required = true };
        role.AcceptOnlyFromAmong(TokenRoles.Viewer, TokenRoles.Admin);
        var ttl = Ttl();
        var command = new Command("create", "Make a token and print it (the only time its text is shown)") { role, ttl };
        command.SetAction(async (parse, ct) =>
        {
            var issued = await context.Api(parse).CreateTokenAsync(parse.GetValue(role)!, parse.GetValue(ttl), ct);
            context.Out.WriteLine(issued.Token);
            return 0;
        });
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "Every token: id, role, node, created, expires (never a secret)");
        command.Aliases.Add("ls");
        command.SetAction(async (parse, ct) =>
        {
            var tokens = await context.Api(parse).ListTokensAsync(ct);
            var table = new Table("ID", "ROLE", "NODE", "CREATED", "EXPIRES");
            foreach (var t in tokens)
                table.Add(t.Id, t.Role, Cells.Text(t.Node), t.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    t.ExpiresAt is { } e ? (e <= context.Now ? "expired " : "") + e.ToString("yyyy-MM-ddTHH:mm:ssZ") : "never");
            table.Write(context.Out);
            return 0;
        });
        return command;
    }

    private Command Revoke()
    {
        var id = new Argument<string>("ID") { Description = "The token's id (the part between the dots, as orc token list shows it)" };
        var command = new Command("revoke", "Revoke a token; it stops working at once") { id };
        command.SetAction(async (parse, ct) =>
        {
            var tokenId = parse.GetValue(id)!;
            await context.Api(parse).RevokeTokenAsync(tokenId, ct);
            context.Out.WriteLine($"token/{tokenId} revoked");
            return 0;
        });
        return command;
    }
}
