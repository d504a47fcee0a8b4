using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Network;

/// <summary>
/// The DNS server every replica on this node asks (on the bridge's gateway, port 53, UDP; ARSoft.Tools.Net): the
/// cluster's names from the endpoints the control plane last gave (<see cref="ServiceNames"/>), anything else forwarded
/// to the resolvers of the agent's own /etc/resolv.conf. Answers carry a TTL of 1 s, so a replica leaving is seen at once.
/// </summary>
public sealed class ServiceDns(ILogger<ServiceDns> log) : IDisposable
{
    public const int Port = 53;
    private const int Ttl = 1;

    private volatile IReadOnlyList<ServiceEndpoints> _services = [];
    private DnsServer? _server;
    private string? _address;
    private readonly Lazy<DnsClient?> _upstream = new(Upstream);

    public void Update(IReadOnlyList<ServiceEndpoints> services) => _services = services;

    /// <summary>Starts answering on <paramref name="address"/> (once; again on another address when the bridge moved).</summary>
    public void Listen(string address, int port = Port)
    {
        if (_address == address) return;
        _server?.Stop();
        try
        {
            var server = new DnsServer(new UdpServerTransport(new IPEndPoint(IPAddress.Parse(address), port), 1000));
            server.QueryReceived += AnswerAsync;
            server.ExceptionThrown += (_, e) =>
            {
                log.LogWarning("DNS on {Address}: {Message}", address, e.Exception.GetBaseException().Message);
                return Task.CompletedTask;
            };
            server.Start();
            (_server, _address) = (server, address);
            log.LogInformation("DNS for the cluster's names on {Address}:{Port}", address, port);
        }
        catch (Exception e)
        {
            log.LogWarning("DNS on {Address}:{Port} not started: {Message}", address, port, e.GetBaseException().Message);
        }
    }

    private async Task AnswerAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || query.Questions.Count != 1) return;
        var question = query.Questions[0];
        var answer = ServiceNames.Resolve(question.Name.ToString(), _services, (e.RemoteEndpoint as IPEndPoint)?.Address.ToString());
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (answer.Ours)
        {
            response.IsAuthoritiveAnswer = true;
            response.ReturnCode = answer.Addresses.Count == 0 ? ReturnCode.NxDomain : ReturnCode.NoError;
            if (question.RecordType is RecordType.A or RecordType.Any)
                foreach (var ip in answer.Addresses) response.AnswerRecords.Add(new ARecord(question.Name, Ttl, IPAddress.Parse(ip)));
            e.Response = response;
            return;
        }
        try
        {
            var forwarded = _upstream.Value is { } client
                ? await client.ResolveAsync(question.Name, question.RecordType, question.RecordClass)
                : null;
            if (forwarded is null) response.ReturnCode = ReturnCode.ServerFailure;
            else
            {
                response.ReturnCode = forwarded.ReturnCode;
                response.AnswerRecords.AddRange(forwarded.AnswerRecords);
            }
        }
        catch (Exception ex)
        {
            log.LogDebug("DNS forward of {Name} failed: {Message}", question.Name, ex.Message);
            response.ReturnCode = ReturnCode.ServerFailure;
        }
        e.Response = response;
    }

    /// <summary>The node's own resolvers (its /etc/resolv.conf), or null when it names none.</summary>
    private static DnsClient? Upstream()
    {
        var servers = new List<IPAddress>();
        try
        {
            foreach (var line in File.ReadAllLines("/etc/resolv.conf"))
            {
                var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words is ["nameserver", var a, ..] && IPAddress.TryParse(a, out var ip)) servers.Add(ip);
            }
        }
        catch (IOException) { }
        return servers.Count == 0 ? null : new DnsClient(servers, 2000);
    }

    public void Dispose() => _server?.Stop();
}
