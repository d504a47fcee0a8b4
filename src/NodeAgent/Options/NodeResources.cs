using System.Globalization;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Options;

/// <summary>The capacity and labels an agent announces, resolved once from <see cref="NodeAgentOptions"/> and the machine.</summary>
public static class NodeResources
{
    public static NodeCapacity Capacity(NodeAgentOptions options) => new()
    {
        MilliCpu = options.Cpu is { Length: > 0 } cpu ? Units.ParseCpuMillis(cpu) : Environment.ProcessorCount * 1000L,
        MemoryBytes = options.Memory is { Length: > 0 } memory ? Units.ParseMemoryBytes(memory) : MemTotal(),
    };

    /// <summary>
    /// The agent's URL as the control plane should use it: <see cref="NodeAgentOptions.AdvertiseUrl"/> when given,
    /// else <see cref="NodeAgentOptions.Listen"/>'s scheme and port on <see cref="NodeAgentOptions.Address"/>
    /// (the listen host may be 0.0.0.0, which nobody can call). Expects validated options.
    /// </summary>
    public static string AgentUrl(NodeAgentOptions options)
    {
        if (options.AdvertiseUrl is { Length: > 0 } advertise) return advertise.TrimEnd('/');
        var listen = new Uri(options.Listen);
        var host = options.Address.Contains(':') ? $"[{options.Address}]" : options.Address;
        return $"{listen.Scheme}://{host}:{listen.Port}";
    }

    /// <summary>"zone=a, disk=ssd" -> {zone: a, disk: ssd}; throws FormatException naming the bad pair.</summary>
    public static Dictionary<string, string> ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new FormatException($"\"{pair}\" is not key=value");
            labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return labels;
    }

    /// <summary>Bytes of MemTotal in /proc/meminfo ("MemTotal: 16314260 kB"); 0 where there is no such file.</summary>
    public static long MemTotal(string path = "/proc/meminfo")
    {
        if (!File.Exists(path)) return 0;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
