using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// Why a replica's container could not be created or started, in a person's words: a <see cref="ReplicaReasons"/> word and
/// a one-line message. Engine errors arrive as "Docker API responded with status code=NotFound, response={"message":"No such
/// image: local/nope:1"}\n"; what a person needs is "local/nope:1 is not on node vm".
/// </summary>
public sealed partial record StartFailure(string Reason, string Message)
{
    /// <summary>A message longer than this is cut: it ends up in a table cell, an event and etcd.</summary>
    public const int MaxMessageLength = 300;

    public static StartFailure Classify(string engineMessage, Replica replica, string node)
    {
        var message = Clean(engineMessage);
        if (message.Contains("No such image", StringComparison.OrdinalIgnoreCase))
            return new(ReplicaReasons.ImageNotFound, $"{replica.Container.Image} is not on node {node}");
        if (message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            || message.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase))
            return new(ReplicaReasons.PortInUse, $"host port {PortOf(message, replica)} is already in use on {node}");
        return new(ReplicaReasons.CreateFailed, message);
    }

    /// <summary>The engine's own message without the client's wrapping, the JSON around it and line breaks, cut to a length.</summary>
    public static string Clean(string engineMessage)
    {
        var text = engineMessage;
        var response = text.IndexOf("response=", StringComparison.Ordinal);
        if (response >= 0 && text.StartsWith("Docker API responded", StringComparison.Ordinal)) text = text[(response + "response=".Length)..];
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m)
                    && m.ValueKind == JsonValueKind.String)
                    text = m.GetString() ?? "";
            }
            catch (JsonException) { }
        }
        text = Whitespace().Replace(text, " ").Trim();
        if (text.Length == 0) return "the engine gave no reason";
        return text.Length <= MaxMessageLength ? text : text[..(MaxMessageLength - 3)] + "...";
    }

    /// <summary>"2379/tcp" from "listen tcp4 0.0.0.0:2379: bind" or "Bind for 0.0.0.0:2379 failed"; else the replica's fixed host ports.</summary>
    private static string PortOf(string message, Replica replica)
    {
        if (Listen().Match(message) is { Success: true } listen) return $"{listen.Groups[2].Value}/{listen.Groups[1].Value}";
        if (BindFor().Match(message) is { Success: true } bind)
        {
            var port = int.Parse(bind.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var protocol = replica.Container.Ports.FirstOrDefault(p => p.HostPort == port)?.Protocol ?? "tcp";
            return $"{port}/{protocol.ToLowerInvariant()}";
        }
        var fixedPorts = replica.Container.Ports.Where(p => p.HostPort is > 0).Select(p => $"{p.HostPort}/{p.Protocol.ToLowerInvariant()}").ToList();
        return fixedPorts.Count == 0 ? "(unknown)" : string.Join(" or ", fixedPorts);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"listen (tcp|udp)[46]? [^ ]*:(\d+)")]
    private static partial Regex Listen();

    [GeneratedRegex(@"Bind for [^ ]*:(\d+) failed")]
    private static partial Regex BindFor();
}
