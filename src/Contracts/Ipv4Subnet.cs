using System.Globalization;
using System.Net;

namespace Orchestrator.Contracts;

/// <summary>An IPv4 range written as "10.240.0.0/16": the cluster's range, a node's subnet, the service range.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public const string Allowed = "an IPv4 range like 10.240.0.0/16 (the address with its host bits zero, then /prefix)";

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>The address at <paramref name="offset"/> inside the range (1 is the gateway of a node's subnet).</summary>
    public string Address(long offset) => Format((uint)(Network + offset));

    public bool Contains(Ipv4Subnet other) => other.PrefixLength >= PrefixLength && (other.Network & Mask) == Network;

    /// <summary>The <paramref name="prefixLength"/>-sized subnets inside this range, in order.</summary>
    public IEnumerable<Ipv4Subnet> Split(int prefixLength)
    {
        if (prefixLength < PrefixLength) yield break;
        var step = 1L << (32 - prefixLength);
        for (long n = Network; n < Network + Size; n += step) yield return new Ipv4Subnet((uint)n, prefixLength);
    }

    public override string ToString() => $"{Format(Network)}/{PrefixLength}";

    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        var parts = text?.Split('/');
        if (parts is not { Length: 2 }) return false;
        if (!IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || parts[0].Count(c => c == '.') != 3) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32) return false;
        var b = ip.GetAddressBytes();
        var network = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        var candidate = new Ipv4Subnet(network, prefix);
        if ((network & candidate.Mask) != network) return false;
        subnet = candidate;
        return true;
    }

    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"\"{text}\" is not {Allowed}");

    private static string Format(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";
}
