using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc describe secret|config NAME`: identity, keys and sizes, as kubectl describes them; a secret's values never.</summary>
public sealed class DescribeDataObject(CliContext context)
{
    public Command Secret() => Build(ResourceType.Secrets, "Show a secret's keys and sizes (never its values)",
        async (api, ns, name, ct) => await api.GetSecretAsync(ns, name, ct));

    public Command Config() => Build(ResourceType.Configs, "Show a config's keys and sizes",
        async (api, ns, name, ct) => (await api.GetConfigAsync(ns, name, ct)).View());

    private Command Build(ResourceType type, string description, Func<OrcApi, string, string, CancellationToken, Task<DataObjectView>> get)
    {
        var name = new Argument<string>("NAME") { Description = $"Name of the {type.Singular}" };
        var ns = CommonOptions.Namespace();
        var command = type.Command(type.Singular, description);
        command.Add(name);
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var view = await get(context.Api(parse), parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            var d = new DescribeWriter(context.Out, context.Now);
            d.Field("Name", view.Metadata.Name);
            d.Field("Namespace", view.Metadata.Namespace);
            d.Fields("Labels", Cells.Pairs(view.Metadata.Labels));
            d.Field("Generation", view.Metadata.Generation.ToString());
            d.Field("Created", view.Metadata.CreatedAt is { } created ? $"{created:u} ({Age.Since(created, context.Now)} ago)" : Age.Unknown);
            d.Blank();
            d.Section("Data", view.Keys.Count, () => DataObjectTable.Keys(view.Keys));
            return 0;
        });
        return command;
    }
}
