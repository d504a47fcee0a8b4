using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// What the services of one Compose file share: the project's name, the top-level volumes, secrets and configs they
/// may name, and which service mounts each named volume (a volume here belongs to one service).
/// </summary>
internal sealed class ComposeProject
{
    public YamlNode? Name { get; init; }
    public HashSet<string> Volumes { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Secrets { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Configs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> VolumeUsers { get; } = new(StringComparer.Ordinal);

    /// <summary>The top-level names of a section (volumes, secrets, configs), whatever their entries hold: those are checked where they are translated.</summary>
    public static void Names(YamlNode? section, HashSet<string> into)
    {
        if (section is not YamlMappingNode map) return;
        foreach (var key in map.Children.Keys)
            if (key is YamlScalarNode { Value: { } name }) into.Add(name);
    }
}
