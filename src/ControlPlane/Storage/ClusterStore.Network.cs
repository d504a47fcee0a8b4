using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>Service virtual IPs: one claim key per address, written compared on its revision (docs/networking.md).</summary>
public sealed partial class ClusterStore
{
    public async Task<IReadOnlyList<ServiceIpClaim>> ListServiceIpClaimsAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.ServiceIps, ct);
        return StoredRecords.Readable(items, StoredRecords.Read<ServiceIpClaim>, _log);
    }

    /// <summary>
    /// The virtual IP of service <paramref name="ns"/>/<paramref name="name"/>: the one it holds, or the lowest free
    /// address of <paramref name="range"/>, claimed in one transaction that requires the service unchanged and the claim
    /// key as it was read (two services never take one address; a stale claim of a deleted service is taken over).
    /// Null when the service is gone or the range is full.
    /// </summary>
    public async Task<string?> AllocateServiceIpAsync(string ns, string name, Ipv4Subnet range, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await ReadAsync(keys.Service(ns, name), ct) is not { } service) return null;
            var stored = await ReadAllAsync(keys.ServiceIps, ct);
            var claims = StoredRecords.Readable(stored, v => (Value: v, Claim: StoredRecords.Read<ServiceIpClaim>(v)), _log);
            if (claims.FirstOrDefault(c => c.Claim.Namespace == ns && c.Claim.Name == name) is { Claim: { } own }) return own.Ip;
            var services = (await ReadAllAsync(keys.Services, ct)).Select(v => v.Key[keys.Services.Length..]).ToHashSet(StringComparer.Ordinal);
            var held = claims.Where(c => services.Contains($"{c.Claim.Namespace}/{c.Claim.Name}")).Select(c => c.Claim.Ip).ToHashSet(StringComparer.Ordinal);
            if (ServiceIps.Pick(range, held) is not { } ip) return null;
            var claimKey = keys.ServiceIp(ip);
            var previous = stored.FirstOrDefault(v => v.Key == claimKey);
            var outcome = await CommitAsync(new EtcdTxn()
                .Require(service.Key, service.ModRevision).Require(claimKey, previous?.ModRevision ?? 0)
                .PutValue(claimKey, Json.Serialize(new ServiceIpClaim(ns, name, ip))), ct);
            if (outcome.Succeeded) return ip;
            if (attempt >= 10) throw new ConflictException($"service IPs kept changing while service {ns}/{name} took one; try again");
        }
    }

    /// <summary>Every service's endpoints, from the cache (<see cref="EndpointsView"/>).</summary>
    public async Task<List<ServiceEndpoints>> ListEndpointsAsync(string? ns = null, string? service = null, CancellationToken ct = default)
    {
        var services = (await ListServicesAsync(ns, ct)).Where(s => service is null || s.Metadata.Name == service).ToList();
        var replicas = await ListReplicasAsync(ns, service, ct);
        var statuses = await ListReplicaStatusesAsync(ns, service, ct);
        return EndpointsView.Of(services, replicas, statuses, await ListNodesAsync(ct), await ListServiceIpClaimsAsync(ct));
    }
}
