using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Options;

/// <summary>
/// Checks every setting before the agent touches Docker or the network, so that a typo fails at start-up
/// with the setting's name, the bad value and what is allowed, instead of as a stack trace minutes later.
/// </summary>
public static class NodeAgentOptionsValidator
{
    public static IReadOnlyList<string> Validate(NodeAgentOptions o)
    {
        var errors = new List<string>();
        void Fail(string name, string value, string allowed) =>
            errors.Add($"Agent:{name} (--{Flag(name)}): \"{value}\" is not valid; {allowed}");

        if (o.ApiUrls() is not { Count: > 0 and <= 16 } apis || !apis.All(IsHttpUrl))
            Fail(nameof(o.Api), o.Api, "give 1 to 16 https URLs separated by commas, like https://127.0.0.1:7070,https://10.0.0.2:7070");
        if (!Names.IsDns1123Label(o.NodeName)) Fail(nameof(o.NodeName), o.NodeName, "give " + Names.Dns1123Allowed);
        if (!Uri.TryCreate(o.Docker, UriKind.Absolute, out var docker) || docker.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
            Fail(nameof(o.Docker), o.Docker, "give an engine endpoint like unix:///var/run/docker.sock or tcp://host:2375");
        if (!Names.IsDns1123Label(o.Cluster)) Fail(nameof(o.Cluster), o.Cluster, "give " + Names.Dns1123Allowed);
        try { NodeResources.ParseLabels(o.Labels); }
        catch (FormatException e) { Fail(nameof(o.Labels), o.Labels, $"{e.Message}; give key=value pairs separated by commas, like zone=a,disk=ssd"); }
        try { NodeTaints.Parse(o.Taints); }
        catch (FormatException e) { Fail(nameof(o.Taints), o.Taints, $"{e.Message}; {NodeTaints.Allowed}"); }
        if (o.JoinTokenFile is { Length: > 0 } joinFile && !File.Exists(joinFile))
            Fail(nameof(o.JoinTokenFile), joinFile, "give a file that exists and holds a join token (orc node join-token > FILE)");
        if (string.IsNullOrWhiteSpace(o.StateDir)) Fail(nameof(o.StateDir), o.StateDir, "give a directory for the node credential");
        if (!IPAddress.TryParse(o.Address, out _)) Fail(nameof(o.Address), o.Address, "give an IP address like 127.0.0.1");
        if (o.Cpu is { Length: > 0 } cpu && (!Units.TryParseCpuMillis(cpu, out var millis) || millis <= 0))
            Fail(nameof(o.Cpu), cpu, "give " + Units.CpuAllowed + ", above 0");
        if (o.Memory is { Length: > 0 } memory && (!Units.TryParseMemoryBytes(memory, out var bytes) || bytes <= 0))
            Fail(nameof(o.Memory), memory, "give " + Units.MemoryAllowed + ", above 0");
        CheckInterval(nameof(o.HeartbeatInterval), o.HeartbeatInterval);
        CheckInterval(nameof(o.ResyncInterval), o.ResyncInterval);
        CheckInterval(nameof(o.StatusInterval), o.StatusInterval);
        if (o.StopTimeout < TimeSpan.Zero) errors.Add($"Agent:StopTimeout: \"{o.StopTimeout}\" is not valid; give a duration of zero or more, like 00:00:10");
        if (!IsHttpUrl(o.Listen)) Fail(nameof(o.Listen), o.Listen, "give an https URL like https://127.0.0.1:7071 (the agent's API is TLS only)");
        if (string.IsNullOrEmpty(o.CaFile)) errors.Add("Agent:CaFile (--ca-file): required; give the cluster CA's certificate (the control plane's DATA_DIR/ca.crt), which the control plane's certificates chain to");
        else if (!File.Exists(o.CaFile)) Fail(nameof(o.CaFile), o.CaFile, "no such file; give the cluster CA's certificate (the control plane's DATA_DIR/ca.crt)");
        if (o.AdvertiseUrl is { Length: > 0 } advertise && !AgentUrls.IsValid(advertise))
            Fail(nameof(o.AdvertiseUrl), advertise, AgentUrls.Allowed);
        if (o.NetworkMode is not (Network.NetworkModes.None or Network.NetworkModes.HostGw or Network.NetworkModes.Vxlan))
            Fail(nameof(o.NetworkMode), o.NetworkMode, $"give {Network.NetworkModes.HostGw}, {Network.NetworkModes.Vxlan} or {Network.NetworkModes.None}");
        CheckInterval(nameof(o.NetworkInterval), o.NetworkInterval);
        if (o.EndpointDrain < TimeSpan.Zero || o.EndpointDrain > TimeSpan.FromMinutes(5))
            errors.Add($"Agent:{nameof(o.EndpointDrain)}: \"{o.EndpointDrain}\" is not valid; give a duration from 00:00:00 to 00:05:00, like 00:00:03");
        return errors;

        void CheckInterval(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) errors.Add($"Agent:{name}: \"{value}\" is not valid; give a duration above zero, like 00:00:01");
        }
    }

    private static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme == "https";

    /// <summary>NodeName -> node-name, the command-line spelling of a setting.</summary>
    private static string Flag(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
