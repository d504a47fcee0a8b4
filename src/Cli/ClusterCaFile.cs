namespace Orchestrator.Orc;

/// <summary>
/// The cluster CA `orc` trusts the control plane's certificate by: --ca-file, else ORC_CA, else "ca" in
/// ~/.orc/config.json (./up.sh writes it). The same precedence as <see cref="ServerAddress"/>. Null: none given, and
/// the machine's trust store decides (a control plane with a certificate from a public CA).
/// </summary>
public static class ClusterCaFile
{
    public const string Variable = "ORC_CA";

    public static string? Resolve(string? flag, CliEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return Existing(flag, "--ca-file");
        var fromVariable = environment.Variable(Variable);
        if (!string.IsNullOrWhiteSpace(fromVariable)) return Existing(fromVariable, Variable);
        var configPath = CliConfigFile.PathIn(environment);
        var fromConfig = CliConfigFile.Read(configPath, "ca");
        return string.IsNullOrWhiteSpace(fromConfig) ? null : Existing(fromConfig, configPath);
    }

    private static string Existing(string path, string source) =>
        File.Exists(path) ? path : throw new CliException($"the cluster CA file {path} (from {source}) does not exist; give the control plane's DATA_DIR/ca.crt");
}
