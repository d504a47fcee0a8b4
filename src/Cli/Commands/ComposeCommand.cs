using System.CommandLine;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc compose up -f FILE` / `orc compose down -f FILE`: docker stack deploy's habit. Up is an apply of Compose files
/// (refusing any other file), down a delete of the same objects. The translation is docs/compat.md.
/// </summary>
public sealed class ComposeCommand(CliContext context)
{
    public Command Build() => new("compose", "Run or remove the services of Compose files (docs/compat.md)") { Up(), Down() };

    private Command Up()
    {
        var files = ComposeFiles("apply");
        var options = new ApplyOptions();
        var command = new Command("up", "Create or update the services, secrets and configs of Compose files") { files };
        options.AddTo(command);
        command.SetAction((parse, ct) => new ApplyCommand(context).ApplyAsync(parse, Read(parse.GetValue(files)!), options, ct));
        return command;
    }

    private Command Down()
    {
        var files = ComposeFiles("remove");
        var (wait, timeout) = DeleteCommand.DeleteWaitOptions();
        var command = new Command("down", "Delete the services, secrets and configs of Compose files") { files, wait, timeout };
        command.SetAction((parse, ct) =>
            new DeleteCommand(context).DeleteAsync(parse, Read(parse.GetValue(files)!), parse.GetValue(wait), parse.GetValue(timeout), ct));
        return command;
    }

    private static Option<string[]> ComposeFiles(string verb) => new("--file", "-f")
    {
        Description = $"Compose file to {verb} ('-' reads stdin); repeatable",
        Required = true,
    };

    private List<ManifestFile> Read(string[] paths)
    {
        var files = ManifestFileCollector.Read(paths, context.Environment.Stdin);
        foreach (var file in files.Where(f => !ManifestTranslation.IsCompose(f)))
            throw new CliException($"{file.Name} is not a Compose file (a top-level services mapping and no kind); apply other manifests with orc apply -f");
        return files;
    }
}
