using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.resources and stores each quantity in the canonical form of <see cref="Units"/>.</summary>
internal static class ResourcesReader
{
    /// <summary>Docker refuses a memory limit below 6 MiB, so a smaller one could be placed but never started.</summary>
    public const long MinMemoryBytes = 6L << 20;

    /// <summary>The kernel's own ceiling (pid_max on 64-bit).</summary>
    public const long MaxPids = 1L << 22;

    private static readonly string[] Fields = ["cpu", "memory", "pids"];

    public static ResourceSpec Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return new();
        return new ResourceSpec
        {
            Cpu = f["cpu"] is { } cpu ? Cpu(cpu, f.PathOf("cpu"), r) : null,
            Memory = f["memory"] is { } memory ? Memory(memory, f.PathOf("memory"), r) : null,
            Pids = f["pids"] is { } pids ? r.WholeNumber(pids, f.PathOf("pids"), 1, MaxPids) : null,
        };
    }

    private static string? Cpu(YamlNode node, string path, ManifestReader r)
    {
        if (r.Text(node, path) is not { } text) return null;
        if (!Units.TryParseCpuMillis(text, out var millis))
            r.Error(node, path, $"must be {Units.CpuAllowed}, got {YamlScalars.Quote(text)}");
        else if (millis <= 0)
            r.Error(node, path, $"must be more than 0 (at least \"1m\"), got {YamlScalars.Quote(text)}");
        else
            return Units.FormatCpu(millis);
        return null;
    }

    private static string? Memory(YamlNode node, string path, ManifestReader r)
    {
        if (r.Text(node, path) is not { } text) return null;
        if (!Units.TryParseMemoryBytes(text, out var bytes))
            r.Error(node, path, $"must be {Units.MemoryAllowed}, got {YamlScalars.Quote(text)}");
        else if (bytes < MinMemoryBytes)
            r.Error(node, path, $"must be at least 6Mi (Docker refuses smaller memory limits), got {YamlScalars.Quote(text)}");
        else
            return Units.FormatMemory(bytes);
        return null;
    }
}
