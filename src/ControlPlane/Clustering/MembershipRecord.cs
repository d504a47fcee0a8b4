using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans;
using Orleans.Runtime;

namespace Orchestrator.ControlPlane.Clustering;

/// <summary>
/// The JSON form of a <see cref="MembershipEntry"/> in etcd. A plain record rather than Orleans'
/// binary serializer so that <c>etcdctl get</c> shows a person which silos exist and why one is dead.
/// </summary>
internal sealed record MembershipRecord(
    string SiloAddress,
    SiloStatus Status,
    List<SuspicionRecord>? SuspectTimes,
    int ProxyPort,
    string HostName,
    string SiloName,
    string? RoleName,
    int UpdateZone,
    int FaultZone,
    DateTime StartTime,
    DateTime IAmAliveTime)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(MembershipEntry entry) => JsonSerializer.Serialize(From(entry), Json);

    public static MembershipEntry Deserialize(string json) =>
        (JsonSerializer.Deserialize<MembershipRecord>(json, Json) ?? throw new JsonException("Membership row is JSON null")).ToEntry();

    private static MembershipRecord From(MembershipEntry entry) => new(
        entry.SiloAddress.ToParsableString(),
        entry.Status,
        entry.SuspectTimes?.Select(vote => new SuspicionRecord(vote.Item1.ToParsableString(), vote.Item2)).ToList(),
        entry.ProxyPort,
        entry.HostName,
        entry.SiloName,
        entry.RoleName,
        entry.UpdateZone,
        entry.FaultZone,
        entry.StartTime,
        entry.IAmAliveTime);

    private MembershipEntry ToEntry() => new()
    {
        SiloAddress = Orleans.Runtime.SiloAddress.FromParsableString(SiloAddress),
        Status = Status,
        SuspectTimes = SuspectTimes?.Select(vote => Tuple.Create(Orleans.Runtime.SiloAddress.FromParsableString(vote.Suspector), vote.At)).ToList(),
        ProxyPort = ProxyPort,
        HostName = HostName,
        SiloName = SiloName,
        RoleName = RoleName,
        UpdateZone = UpdateZone,
        FaultZone = FaultZone,
        StartTime = StartTime,
        IAmAliveTime = IAmAliveTime,
    };
}

/// <summary>One silo's vote that the row's silo is dead, and when it was cast.</summary>
internal sealed record SuspicionRecord(string Suspector, DateTime At);
