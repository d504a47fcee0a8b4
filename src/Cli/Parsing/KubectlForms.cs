using System.CommandLine;

namespace Orchestrator.Orc.Parsing;

/// <summary>
/// Rewrites the shapes of a command line kubectl accepts into orc's own before it is parsed, so that the parser stays
/// one tree of commands: `get svc/web` -> `get svc web`, `get -n a svc` -> `get svc -n a`, `scale web` -> `scale service web`.
/// Anything it does not recognise is left as it is, for the parser to report.
/// </summary>
public static class KubectlForms
{
    /// <summary>The verbs whose first word is a resource type.</summary>
    private static readonly string[] TypedVerbs = ["get", "describe", "delete", "scale"];

    private const string EndOfOptions = "--";

    public static string[] Rewrite(RootCommand root, string[] args)
    {
        var verbAt = FirstPositional(args, 0, ValueOptions(root, recursiveOnly: true));
        if (verbAt < 0) return args;
        var verb = root.Subcommands.FirstOrDefault(c => c.Name == args[verbAt] || c.Aliases.Contains(args[verbAt]));
        if (verb is null || !TypedVerbs.Contains(verb.Name)) return args;

        var words = args.ToList();
        var at = FirstPositional(args, verbAt + 1, ValueOptions(root, recursiveOnly: true).Union(ValueOptions(verb, recursiveOnly: false)).ToHashSet());
        if (at < 0) return args;
        var token = words[at];
        var slash = token.IndexOf('/');
        string type, name;
        if (slash > 0 && slash < token.Length - 1) (type, name) = (token[..slash], token[(slash + 1)..]);
        else if (verb.Name == "scale" && !IsSubcommand(verb, token)) (type, name) = (ResourceType.Services.Singular, token);
        else (type, name) = (token, "");

        // The type goes right after the verb, where the parser looks for its subcommand; the name stays where it was typed.
        if (name.Length > 0) words[at] = name;
        else words.RemoveAt(at);
        words.Insert(verbAt + 1, type);
        return [.. words];
    }

    private static bool IsSubcommand(Command verb, string word) =>
        verb.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word));

    /// <summary>The index of the first word that is neither an option nor an option's value, or -1.</summary>
    private static int FirstPositional(IReadOnlyList<string> args, int from, IReadOnlySet<string> valueOptions)
    {
        for (var i = from; i < args.Count; i++)
        {
            if (args[i] == EndOfOptions) return -1;
            if (!args[i].StartsWith('-') || args[i] == "-") return i;
            if (valueOptions.Contains(args[i])) i++;
        }
        return -1;
    }

    /// <summary>Names of the options that take a value, in <paramref name="command"/> and below it.</summary>
    private static HashSet<string> ValueOptions(Command command, bool recursiveOnly)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options.Where(o => o.Arity.MaximumNumberOfValues > 0 && (!recursiveOnly || o.Recursive)))
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }
        if (!recursiveOnly)
            foreach (var sub in command.Subcommands) names.UnionWith(ValueOptions(sub, recursiveOnly: false));
        return names;
    }
}
