using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Orchestrator.NodeAgent.Loop;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// The agent process with OTEL_EXPORTER_OTLP_ENDPOINT set sends metrics, traces and logs to that collector, each
/// under its service name and node. The collector here is a listener that takes OTLP/HTTP (protobuf) requests.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OtlpExportTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Metrics_traces_and_logs_reach_the_otlp_endpoint_with_the_agents_resource()
    {
        var node = "otlp-" + Guid.NewGuid().ToString("N")[..8];
        var collectorUrl = $"http://127.0.0.1:{FreePort()}/";
        using var collector = new HttpListener();
        collector.Prefixes.Add(collectorUrl);
        collector.Start();
        var received = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await collector.GetContextAsync(); }
                catch (Exception) when (stop.IsCancellationRequested) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                // Protobuf keeps strings as UTF-8 bytes: the resource's attribute values are readable in the payload.
                var text = Encoding.UTF8.GetString(body.ToArray());
                // Batches add up: the agent's own log lines may come in a later batch than the framework's first ones.
                if (text.Contains("orchestrator-node-agent") && text.Contains(node))
                    received.AddOrUpdate(context.Request.Url!.AbsolutePath, text, (_, earlier) => earlier + text);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        });

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        var caFile = Path.Combine(Path.GetTempPath(), node + "-ca.crt");
        using (var ca = Orchestrator.Tls.CertificateAuthority.Create("test-ca", DateTimeOffset.UtcNow))
            Orchestrator.Tls.PemFiles.WriteCertificate(caFile, ca.Certificate);
        foreach (var a in new[] { typeof(Agent).Assembly.Location, "--api", "https://127.0.0.1:1", "--node-name", node,
                     "--cluster", node, "--listen", $"https://127.0.0.1:{FreePort()}", "--ca-file", caFile })
            start.ArgumentList.Add(a);
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl.TrimEnd('/');
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        start.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        start.Environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        using var agent = Process.Start(start)!;
        var stderr = agent.StandardError.ReadToEndAsync();
        _ = agent.StandardOutput.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            string[] signals = ["/v1/metrics", "/v1/traces", "/v1/logs"];
            bool OwnLogs() => received.TryGetValue("/v1/logs", out var logs) && logs.Contains("Orchestrator.NodeAgent.");
            while (!(signals.All(received.ContainsKey) && OwnLogs()) && clock.Elapsed < TimeSpan.FromSeconds(30) && !agent.HasExited)
                await Task.Delay(200);
            Assert.True(signals.All(received.ContainsKey),
                $"got {string.Join(", ", received.Keys)} of {string.Join(", ", signals)}; agent exited: {agent.HasExited}");
            Assert.Contains("orchestrator.node", received["/v1/metrics"]);
            // The agent's own log lines (categories like Orchestrator.NodeAgent.ControlPlane.NodeLink), not only the framework's.
            Assert.Contains("Orchestrator.NodeAgent.", received["/v1/logs"]);
        }
        finally
        {
            if (!agent.HasExited) agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
            await stop.CancelAsync();
            collector.Stop();
            await serving;
        }
        Assert.DoesNotContain("   at ", await stderr);
    }
}
