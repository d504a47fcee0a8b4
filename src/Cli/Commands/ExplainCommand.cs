using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc explain TYPE[.FIELD...] [--recursive]`: what a manifest field means and allows, from the model the validator is
/// checked against (ManifestSchema), as kubectl explain does. Needs no control plane.
/// </summary>
public sealed class ExplainCommand(CliContext context)
{
    public Command Build()
    {
        var path = new Argument<string?>("TYPE.FIELD") { Description = "A kind and a field path, like service.spec.updateStrategy", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive") { Description = "Every field below, as a tree" };
        var reference = new Option<bool>("--reference") { Description = "The whole reference as Markdown (docs/manifest.md)" };
        var command = new Command("explain", "Describe the fields of a manifest kind") { path, recursive, reference };
        command.SetAction(parse =>
        {
            if (parse.GetValue(reference))
            {
                context.Out.Write(FieldReference.Markdown());
                return 0;
            }
            var given = parse.GetValue(path);
            if (string.IsNullOrWhiteSpace(given))
                throw new CliException($"name a kind and optionally a field, like `orc explain service.spec.updateStrategy`; kinds: {string.Join(", ", ManifestSchema.Kinds.Select(k => k.Name.ToLowerInvariant()))}");
            var (field, error) = ManifestSchema.Find(given, KindOf);
            if (field is null) throw new CliException(error);
            var parts = given.Split('.', StringSplitOptions.TrimEntries);
            var kind = ManifestSchema.Kinds.Single(k => k.Name == KindOf(parts[0]));
            context.Out.Write(FieldReference.Explain(kind, Spelled(kind, parts[1..]), field, parse.GetValue(recursive)));
            return 0;
        });
        return command;
    }

    private static readonly (ResourceType Type, string Kind)[] Kinds =
        [(ResourceType.Services, ObjectKinds.Service), (ResourceType.Secrets, ObjectKinds.Secret), (ResourceType.Configs, ObjectKinds.Config)];

    /// <summary>The kind a resource name stands for: `svc`, `services` and `Service` are all Service.</summary>
    private static string? KindOf(string name) =>
        Kinds.FirstOrDefault(k => k.Type.Names.Contains(name.ToLowerInvariant())).Kind;

    /// <summary>The path as the schema spells it (a case-insensitive match is accepted, the output is exact).</summary>
    private static List<string> Spelled(FieldDoc kind, string[] parts)
    {
        var spelled = new List<string>();
        var field = kind;
        foreach (var part in parts)
        {
            field = field.Fields.First(f => string.Equals(f.Name, part, StringComparison.OrdinalIgnoreCase));
            spelled.Add(field.Name);
        }
        return spelled;
    }
}
