using System.CommandLine;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc volume rm NAME`: removes a volume and its data from every node that has it (docs/volumes.md).</summary>
public sealed class VolumeCommand(CliContext context)
{
    public Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The volume, as orc get volumes names it (orc.NAMESPACE.SERVICE.VOLUME.SLOT)" };
        var rm = new Command("rm", "Remove a volume and its data; refused while a replica uses it. A persistent volume's slot may then start anywhere, empty") { name };
        rm.Aliases.Add("delete");
        rm.SetAction(async (parse, ct) =>
        {
            var removal = await context.Api(parse).RemoveVolumeAsync(parse.GetValue(name)!, ct);
            context.Out.WriteLine(removal.RemovedFrom.Count == 0
                ? $"volume {removal.Name} removed (its record only)"
                : $"volume {removal.Name} removed from {string.Join(", ", removal.RemovedFrom)}");
            foreach (var w in removal.Warnings) context.Err.WriteLine($"warning: {w}");
            return 0;
        });
        return new Command("volume", "Manage volumes (orc get volumes lists them)") { rm };
    }
}
