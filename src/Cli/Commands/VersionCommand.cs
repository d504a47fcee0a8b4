using System.CommandLine;
using System.Reflection;

namespace Orchestrator.Orc.Commands;

public sealed class VersionCommand(CliContext context)
{
    /// <summary>The informational version carries the commit when the build sets SourceRevisionId.</summary>
    public static string Current =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public Command Build()
    {
        var command = new Command("version", "Print the version of orc");
        command.SetAction(_ => context.Out.WriteLine($"orc {Current}"));
        return command;
    }
}
