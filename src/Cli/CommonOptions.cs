using System.CommandLine;

namespace Orchestrator.Orc;

/// <summary>Options several commands take; new instances each time because a command owns its options.</summary>
public static class CommonOptions
{
    public const string DefaultNamespace = Orchestrator.Contracts.ObjectKinds.DefaultNamespace;

    public static Option<string> Namespace() => new("--namespace", "-n")
    {
        Description = "Namespace of the object",
        DefaultValueFactory = _ => DefaultNamespace,
    };

    /// <summary>For lists: absent means every namespace, as the API lists them.</summary>
    public static Option<string?> NamespaceFilter() => new("--namespace", "-n")
    {
        Description = "Only this namespace (default: all namespaces for lists, \"default\" for a named object)",
    };

    public static Option<bool> AllNamespaces() => new("--all-namespaces", "-A")
    {
        Description = "Every namespace (overrides -n)",
    };

    public static Option<string[]> Files(string verb) => new("--filename", "-f")
    {
        Description = $"File or folder of manifests to {verb} (*.yaml, *.yml; '-' reads stdin); repeatable",
        Required = true,
    };

    /// <summary>`service NAME [-n NS]`, the object describe, scale and delete act on.</summary>
    public static (Command Command, Argument<string> Name, Option<string> Namespace) ServiceTarget(string description)
    {
        var name = new Argument<string>("NAME") { Description = "Name of the service" };
        var ns = Namespace();
        var command = new Command("service", description) { name, ns };
        command.Aliases.Add("svc");
        return (command, name, ns);
    }
}
