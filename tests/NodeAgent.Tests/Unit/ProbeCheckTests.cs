using System.Net;
using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Health;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>One probe run against the fake engine and loopback sockets: what passes, what fails, and the words for it.</summary>
[Trait("Category", "Unit")]
public sealed class ProbeCheckTests
{
    private readonly FakeRuntime _engine = new();
    private ProbeCheck Check() => new(_engine, ProbeCheck.CreateHttpClient(), TimeProvider.System);
    /// <summary>A loopback port that accepts connections and never answers; stop it to have a refused port.</summary>
    private static (TcpListener Listener, int Port) Listening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (listener, ((IPEndPoint)listener.LocalEndpoint).Port);
    }

    private static readonly ObservedContainer Local = new() { Id = "c1", State = ContainerStates.Running, Address = "127.0.0.1" };

    [Theory]
    [InlineData(0, true, "exit code 0")]
    [InlineData(1, false, "exit code 1")]
    public async Task Exec_passes_on_exit_code_0(long exitCode, bool success, string detail)
    {
        _engine.Exec = (_, _) => exitCode;
        var result = await Check().RunAsync(new Probe { Exec = new() { Command = ["test", "-f", "/tmp/healthy"] } }, Local, CancellationToken.None);
        Assert.Equal(new ProbeResult(success, detail), result);
        Assert.Contains("exec c1 test -f /tmp/healthy", _engine.Calls);
    }

    [Fact]
    public async Task Tcp_passes_when_the_port_accepts_and_fails_when_it_refuses()
    {
        var (listener, open) = Listening();
        using var _ = listener;
        var passed = await Check().RunAsync(new Probe { TcpSocket = new() { Port = open } }, Local, CancellationToken.None);
        listener.Stop();
        var refused = await Check().RunAsync(new Probe { TcpSocket = new() { Port = open } }, Local, CancellationToken.None);

        Assert.Equal(new ProbeResult(true, $"connected to port {open}"), passed);
        Assert.False(refused.Success);
        Assert.StartsWith($"port {open}: ", refused.Detail);
    }

    [Fact]
    public async Task Http_to_a_closed_port_fails_naming_the_port()
    {
        var (listener, port) = Listening();
        listener.Dispose();
        var result = await Check().RunAsync(new Probe { HttpGet = new() { Path = "/healthz", Port = port } }, Local, CancellationToken.None);
        Assert.False(result.Success);
        Assert.StartsWith($"GET :{port}/healthz: ", result.Detail);
    }

    [Fact]
    public async Task A_probe_slower_than_its_timeout_fails_as_timed_out()
    {
        // The GET waits for headers that never come, until the timeout.
        var (listener, port) = Listening();
        using var _ = listener;
        var result = await Check().RunAsync(new Probe { HttpGet = new() { Port = port }, TimeoutSeconds = 1 }, Local, CancellationToken.None);
        Assert.Equal(new ProbeResult(false, "timed out after 1s"), result);
    }

    [Fact]
    public async Task Http_or_tcp_without_an_address_fails_with_the_reason()
    {
        var result = await Check().RunAsync(new Probe { TcpSocket = new() { Port = 80 } }, Local with { Address = null }, CancellationToken.None);
        Assert.Equal(new ProbeResult(false, "the container has no network address to probe"), result);
    }
}
