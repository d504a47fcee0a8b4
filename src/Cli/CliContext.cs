using System.CommandLine;

namespace Orchestrator.Orc;

/// <summary>What every command of one run shares: where it writes, what it reads, and how it reaches the API.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, CliEnvironment environment, HttpMessageHandler? handler)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    public CliEnvironment Environment { get; } = environment;

    /// <summary>Recursive, so it is accepted after any command: `orc get svc --server http://...`.</summary>
    public Option<string> Server { get; } = new("--server", "-s")
    {
        Description = $"Control plane address (else ${ServerAddress.Variable}, else ~/.orc/config.json, else {ServerAddress.Default})",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = $"Bearer token (else ${ClientToken.Variable}, else \"token\" in ~/.orc/config.json)",
        Recursive = true,
    };

    public Option<string> CaFile { get; } = new("--ca-file")
    {
        Description = $"The cluster CA the control plane's certificate chains to (else ${ClusterCaFile.Variable}, else \"ca\" in ~/.orc/config.json)",
        Recursive = true,
    };

    public DateTimeOffset Now => Environment.Time.GetUtcNow();

    public OrcApi Api(ParseResult parse)
    {
        var servers = ServerAddress.Resolve(parse.GetValue(Server), Environment);
        // An injected handler belongs to the caller (tests); the process-wide one may be disposed with the client.
        var http = handler is not null ? new HttpClient(handler, disposeHandler: false)
            : ClusterCaFile.Resolve(parse.GetValue(CaFile), Environment) is { } ca ? new HttpClient(TrustedBy(ca))
            : new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        if (ClientToken.Resolve(parse.GetValue(Token), Environment) is { } token)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new OrcApi(http, servers);
    }

    /// <summary>The WebSocket side of the API (exec, port-forward): same server, token and trust as <see cref="Api"/>.</summary>
    public ReplicaStreamClient Streams(ParseResult parse)
    {
        var servers = ServerAddress.Resolve(parse.GetValue(Server), Environment);
        var invoker = handler is not null ? new HttpMessageInvoker(handler, disposeHandler: false)
            : new HttpMessageInvoker(ClusterCaFile.Resolve(parse.GetValue(CaFile), Environment) is { } ca ? TrustedBy(ca) : new SocketsHttpHandler());
        return new ReplicaStreamClient(invoker, servers[0], ClientToken.Resolve(parse.GetValue(Token), Environment));
    }

    private static SocketsHttpHandler TrustedBy(string caFile)
    {
        try { return Orchestrator.Tls.ClusterTrust.FromFile(caFile).Handler(); }
        catch (Orchestrator.Tls.TlsSetupException e) { throw new CliException(e.Message); }
    }
}
