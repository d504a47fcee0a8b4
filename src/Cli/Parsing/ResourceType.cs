using System.CommandLine;

namespace Orchestrator.Orc.Parsing;

/// <summary>
/// A kind of object the verbs act on, with every name a kubectl user types for it: plural, singular and short names
/// (`svc`, `po`, `no`). Replicas answer to `pod`, since a replica is what a Kubernetes pod is to a person.
/// </summary>
public sealed record ResourceType(string Plural, string Singular, params string[] ShortNames)
{
    public static readonly ResourceType Services = new("services", "service", "svc");
    public static readonly ResourceType Replicas = new("replicas", "replica", "rep", "pods", "pod", "po");
    public static readonly ResourceType Nodes = new("nodes", "node", "no");

    public static readonly ResourceType Secrets = new("secrets", "secret");
    public static readonly ResourceType Configs = new("configs", "config");
    /// <summary>Docker volumes of persistent and shared spec.volumes, as the nodes report them (docs/volumes.md).</summary>
    public static readonly ResourceType Volumes = new("volumes", "volume", "vol");

    public static readonly ResourceType Endpoints = new("endpoints", "endpoint", "ep");

    public static readonly IReadOnlyList<ResourceType> All = [Services, Replicas, Nodes, Secrets, Configs, Volumes, Endpoints];

    public IEnumerable<string> Names => [Plural, Singular, .. ShortNames];

    /// <summary>A command for this kind named <paramref name="name"/>, answering to every other name of the kind too.</summary>
    public Command Command(string name, string description)
    {
        var command = new Command(name, description);
        foreach (var alias in Names.Where(n => n != name)) command.Aliases.Add(alias);
        return command;
    }

    /// <summary>"services (service, svc)" as a usage message lists it.</summary>
    public override string ToString() => $"{Plural} ({string.Join(", ", Names.Skip(1))})";
}
