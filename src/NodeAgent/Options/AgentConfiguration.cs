using Microsoft.Extensions.Configuration;

namespace Orchestrator.NodeAgent.Options;

/// <summary>Where the "Agent" settings come from besides appsettings: ORC_AGENT_* variables and command-line flags.</summary>
public static class AgentConfiguration
{
    public const string EnvironmentPrefix = "ORC_AGENT_";

    /// <summary>The flags an operator types; each maps to a key of the "Agent" section.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--api"] = "Agent:Api",
        ["--node-name"] = "Agent:NodeName",
        ["--docker"] = "Agent:Docker",
        ["--cluster"] = "Agent:Cluster",
        ["--labels"] = "Agent:Labels",
        ["--taints"] = "Agent:Taints",
        ["--address"] = "Agent:Address",
        ["--cpu"] = "Agent:Cpu",
        ["--memory"] = "Agent:Memory",
        ["--listen"] = "Agent:Listen",
        ["--advertise-url"] = "Agent:AdvertiseUrl",
        ["--heartbeat-interval"] = "Agent:HeartbeatInterval",
        ["--resync-interval"] = "Agent:ResyncInterval",
        ["--status-interval"] = "Agent:StatusInterval",
        ["--stop-timeout"] = "Agent:StopTimeout",
        ["--join-token"] = "Agent:JoinToken",
        ["--join-token-file"] = "Agent:JoinTokenFile",
        ["--state-dir"] = "Agent:StateDir",
        ["--secrets-dir"] = "Agent:SecretsDir",
        ["--network-mode"] = "Agent:NetworkMode",
        ["--network-interval"] = "Agent:NetworkInterval",
        ["--endpoint-drain"] = "Agent:EndpointDrain",
        ["--ca-file"] = "Agent:CaFile",
    };

    /// <summary>
    /// ORC_AGENT_NODE_NAME and ORC_AGENT_NODENAME both mean Agent:NodeName: underscores are dropped because
    /// configuration keys are case-insensitive but the .NET environment provider would read them as-is.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(System.Collections.IDictionary variables)
    {
        foreach (System.Collections.DictionaryEntry entry in variables)
        {
            var name = (string)entry.Key;
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            yield return new($"{NodeAgentOptions.Section}:{name[EnvironmentPrefix.Length..].Replace("_", "")}", entry.Value as string);
        }
    }

    /// <summary>Adds the environment variables, then the flags, so that a flag beats a variable beats appsettings.</summary>
    public static IConfigurationBuilder AddAgentSources(this IConfigurationBuilder builder, string[] args) =>
        builder.AddInMemoryCollection(FromEnvironment(Environment.GetEnvironmentVariables()))
            .AddCommandLine(args, SwitchMappings.ToDictionary());
}
