using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Health;

/// <summary>
/// Runs one probe once against a container, bounded by the probe's timeoutSeconds, and says what it saw. Never
/// throws for the container's sake: a refused connection, an error from the engine or a timeout is a failed probe.
/// </summary>
public sealed class ProbeCheck(IContainerRuntime runtime, HttpClient http, TimeProvider time)
{
    /// <summary>Probes follow no redirects (a 3xx is already a success) and keep no connection, so each one tests the server afresh.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionIdleTimeout = TimeSpan.Zero }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<ProbeResult> RunAsync(Probe probe, ObservedContainer container, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var timer = time.CreateTimer(_ => bounded.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            if (probe.Exec is { } exec) return await ExecAsync(exec, container, bounded.Token);
            if (container.Address is not { } address) return new(false, "the container has no network address to probe");
            if (probe.HttpGet is { } get) return await HttpGetAsync(get, address, bounded.Token);
            if (probe.TcpSocket is { } tcp) return await TcpAsync(tcp, address, bounded.Token);
            return new(false, "the probe has no handler");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(false, $"timed out after {probe.TimeoutSeconds}s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(false, e.GetBaseException().Message);
        }
    }

    private async Task<ProbeResult> ExecAsync(ExecAction exec, ObservedContainer container, CancellationToken ct)
    {
        var code = await runtime.ExecAsync(container.Id, exec.Command, ct);
        return new(code == 0, $"exit code {code}");
    }

    /// <summary>Like Kubernetes: any answer from 200 to 399 passes.</summary>
    private async Task<ProbeResult> HttpGetAsync(HttpGetAction get, string address, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{address}:{get.Port}{get.Path}"));
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            return new(code is >= 200 and < 400, $"HTTP {code}");
        }
        catch (HttpRequestException e)
        {
            // The handler's own words lack the port; a person needs it to see which one the probe tried.
            return new(false, $"GET :{get.Port}{get.Path}: {e.GetBaseException().Message}");
        }
    }

    private static async Task<ProbeResult> TcpAsync(TcpSocketAction tcp, string address, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, tcp.Port, ct);
            return new(true, $"connected to port {tcp.Port}");
        }
        catch (SocketException e)
        {
            return new(false, $"port {tcp.Port}: {e.Message}");
        }
    }
}
