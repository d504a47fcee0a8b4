namespace Orchestrator.Orc;

/// <summary>
/// The token `orc` sends (Authorization: Bearer): --token, else ORC_TOKEN, else "token" in ~/.orc/config.json; the
/// first one set wins, in the same order as <see cref="ServerAddress"/>. Null when none is set (the control plane then
/// answers 401, and the error says where a token goes).
/// </summary>
public static class ClientToken
{
    public const string Variable = "ORC_TOKEN";

    public const string Where = $"give a token with --token, {Variable} or \"token\" in ~/.orc/config.json (./up.sh writes it there)";

    public static string? Resolve(string? flag, CliEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return flag.Trim();
        var fromVariable = environment.Variable(Variable);
        if (!string.IsNullOrWhiteSpace(fromVariable)) return fromVariable.Trim();
        return CliConfigFile.Read(CliConfigFile.PathIn(environment), "token")?.Trim() is { Length: > 0 } fromConfig ? fromConfig : null;
    }
}
