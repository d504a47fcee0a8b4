using System.CommandLine;
using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.Orc.Parsing;

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
        var command = ResourceType.Services.Command(ResourceType.Services.Singular, description);
        command.Add(name);
        command.Add(ns);
        return (command, name, ns);
    }

    /// <summary>A duration as manifests write it ("30s", "5m", "1h30m"); "00:05:00" is still taken for scripts written before.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} (e.g. 30s, 5m, 1h; default {Durations.Format(defaultValue)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out var duration)) return duration;
            if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero) return duration;
            result.AddError($"{name} takes {Durations.Allowed}, got \"{text}\"");
            return defaultValue;
        },
    };
}
