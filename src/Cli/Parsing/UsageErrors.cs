using System.CommandLine;
using System.CommandLine.Parsing;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Parsing;

/// <summary>
/// What was wrong with a command line, said in the user's terms: an unknown flag is an unknown flag (never a name
/// that is then "not found"), an unknown resource type is named as one, and each comes with what was probably meant.
/// </summary>
public static class UsageErrors
{
    public static IReadOnlyList<string> Of(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var where = CommandPath(parse.CommandResult);
        var messages = new List<string>();
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var unknownSubcommand = false;

        // A word the parser could not place, and a flag it took for a name because an argument was free to take it.
        // Words after "--" are arguments by the user's own choice (`orc exec web -- sh -c ...`).
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
        var flagsTakenAsNames = parse.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens).Where(t => !afterDoubleDash.Contains(t)).Select(t => t.Value).Where(LooksLikeFlag);
        foreach (var word in parse.UnmatchedTokens.Concat(flagsTakenAsNames))
        {
            explained.Add(word);
            if (LooksLikeFlag(word)) messages.Add($"unknown flag \"{word}\" for \"{where}\"{Hint(word, OptionNames(parse.CommandResult))}");
            else if (command.Subcommands.Count > 0 && !command.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word)))
            {
                // The words after an unknown type are its name and the like: one message about the type says it all.
                if (!unknownSubcommand) messages.Add(UnknownSubcommand(parse.CommandResult, word));
                unknownSubcommand = true;
            }
            else messages.Add($"unexpected argument \"{word}\" for \"{where}\"");
        }

        foreach (var error in parse.Errors)
        {
            if (explained.Any(w => error.Message.Contains($"'{w}'", StringComparison.Ordinal))) continue;
            // "Required command was not provided": say which ones there are, unless an unknown one was just named.
            if (command.Subcommands.Count > 0 && parse.CommandResult.Children.All(c => c is not CommandResult) && error.SymbolResult == parse.CommandResult)
            {
                if (explained.Count == 0) messages.Add($"\"{where}\" needs a {What(parse.CommandResult)}: {Choices(command)}");
                continue;
            }
            messages.Add(error.Message);
        }
        // After an unknown type or command, the rest of the line was meant for it; after an unknown flag, the next word
        // was probably its value. Either way the first message is the one that helps.
        if (unknownSubcommand) return messages.Where(m => m.StartsWith("unknown ", StringComparison.Ordinal) && !m.StartsWith("unknown flag", StringComparison.Ordinal)).ToList();
        if (messages.Any(m => m.StartsWith("unknown flag", StringComparison.Ordinal)))
            return messages.Where(m => m.StartsWith("unknown flag", StringComparison.Ordinal)).Distinct().ToList();
        return messages.Distinct().ToList();
    }

    private static string UnknownSubcommand(CommandResult result, string word)
    {
        var command = result.Command;
        var names = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name));
        return $"unknown {What(result)} \"{word}\" for \"{CommandPath(result)}\"{Hint(word, names)}; it takes {Choices(command)}";
    }

    /// <summary>The verbs take a resource type ("get services"); orc itself and "node", "rollout" take a command.</summary>
    private static string What(CommandResult result) =>
        result.Command.Subcommands.All(c => ResourceType.All.Any(t => t.Names.Contains(c.Name))) ? "resource type" : "command";

    private static string Choices(Command command) =>
        string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c =>
            c.Aliases.Count == 0 ? c.Name : $"{c.Name} ({string.Join(", ", c.Aliases.Order(StringComparer.Ordinal))})"));

    /// <summary>"-" alone is stdin and "-1" a number; anything else that starts with a dash was meant as a flag.</summary>
    private static bool LooksLikeFlag(string word) =>
        word.Length > 1 && word[0] == '-' && !char.IsDigit(word[1]);

    private static string Hint(string word, IEnumerable<string> names)
    {
        var bare = word.Split('=')[0];
        return DidYouMean.Closest(bare.TrimStart('-'), names.Select(n => n.TrimStart('-')).Where(n => n.Length > 1)) is { } match
            ? $" (did you mean \"{names.First(n => n.TrimStart('-') == match)}\"?)"
            : "";
    }

    /// <summary>The flags valid where the word was typed: the command's own and those its parents pass down.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        var options = result.Command.Options.ToList();
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            options.AddRange(parent.Command.Options.Where(o => o.Recursive));
        return options.SelectMany(o => o.Aliases.Prepend(o.Name));
    }

    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r.Parent is CommandResult parent; r = parent) names.Insert(0, r.Command.Name);
        return string.Join(' ', names.Prepend("orc"));
    }
}
