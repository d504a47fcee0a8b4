using System.CommandLine;
using System.Text;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc completion bash|zsh|fish`: a script that completes orc's commands, resource types (every alias) and flags,
/// generated from the same command tree the parser uses, so it never offers a word orc would refuse.
/// `source <(orc completion bash)`; zsh loads the bash one through bashcompinit; fish: `orc completion fish | source`.
/// </summary>
public sealed class CompletionCommand(CliContext context, RootCommand root)
{
    private static readonly string[] Shells = ["bash", "zsh", "fish"];

    public Command Build()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print a shell script that completes orc's commands, types and flags") { shell };
        command.SetAction(parse =>
        {
            var tree = Paths(root, "").ToList();
            context.Out.Write(parse.GetValue(shell) switch
            {
                "fish" => Fish(tree),
                "zsh" => "autoload -U +X bashcompinit && bashcompinit\n" + Bash(tree),
                _ => Bash(tree),
            });
        });
        return command;
    }

    /// <summary>One command: its path from the root (" get services"), the names of its children, and its words to offer.</summary>
    private sealed record Node(string Path, IReadOnlyList<(string Name, string Canonical)> Children, IReadOnlyList<string> Words);

    private static IEnumerable<Node> Paths(Command command, string path)
    {
        var children = command.Subcommands.Where(c => !c.Hidden)
            .SelectMany(c => c.Aliases.Prepend(c.Name).Select(n => (n, $"{path} {c.Name}"))).ToList();
        var options = command.Options.Concat(RecursiveAbove(command)).Where(o => !o.Hidden)
            .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.Length > 1 && n[0] == '-' && char.IsLetter(n[^1]));
        yield return new Node(path, children, [.. children.Select(c => c.Item1).Distinct(), .. options.Distinct()]);
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            foreach (var node in Paths(sub, $"{path} {sub.Name}")) yield return node;
    }

    private static IEnumerable<Option> RecursiveAbove(Command command) =>
        command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive).Concat(RecursiveAbove(p)));

    private static string Bash(List<Node> tree)
    {
        var text = new StringBuilder();
        text.Append("""
            # orc completion for bash: source <(orc completion bash)
            _orc() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" next i
              case "$prev" in
                -f|--filename) COMPREPLY=($(compgen -f -- "$cur")); return ;;
              esac
              for ((i = 1; i < COMP_CWORD; i++)); do
                case "$path ${COMP_WORDS[i]}" in

            """);
        foreach (var node in tree)
            foreach (var group in node.Children.GroupBy(c => c.Canonical))
                text.Append($"      {string.Join('|', group.Select(c => Quote($"{node.Path} {c.Name}")))}) path={Quote(group.Key)} ;;\n");
        text.Append("""
                esac
              done
              case "$path" in

            """);
        foreach (var node in tree) text.Append($"    {Quote(node.Path)}) next={Quote(string.Join(' ', node.Words))} ;;\n");
        text.Append("""
              esac
              COMPREPLY=($(compgen -W "$next" -- "$cur"))
            }
            complete -F _orc orc

            """);
        return text.ToString();
    }

    private static string Fish(List<Node> tree)
    {
        var text = new StringBuilder();
        text.Append("""
            # orc completion for fish: orc completion fish | source
            function __orc_words
                set -l path ""
                for word in (commandline -opc)[2..-1]
                    switch "$path $word"

            """);
        foreach (var node in tree)
            foreach (var group in node.Children.GroupBy(c => c.Canonical))
                text.Append($"            case {string.Join(' ', group.Select(c => Quote($"{node.Path} {c.Name}")))}\n                set path {Quote(group.Key)}\n");
        text.Append("""
                    end
                end
                switch "$path"

            """);
        foreach (var node in tree) text.Append($"        case {Quote(node.Path)}\n            string split ' ' -- {Quote(string.Join(' ', node.Words))}\n");
        text.Append("""
                end
            end
            complete -c orc -f -a '(__orc_words)'

            """);
        return text.ToString();
    }

    /// <summary>Command and option names are plain words; single quotes keep the leading space of a path.</summary>
    private static string Quote(string word) => $"'{word}'";
}
