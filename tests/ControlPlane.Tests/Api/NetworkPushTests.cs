using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;
using Orchestrator.ControlPlane.Tests.Grains;
using Orchestrator.ControlPlane.Tests.Infrastructure;
using Orchestrator.ControlPlane.Tests.Metrics;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>
/// The network long poll on a real control plane (etcd, Kestrel, the silo): answered at once for an unknown version,
/// held while nothing changes, answered within a second of a change with the new endpoints; each change is an endpoint
/// event and the endpoint gauge follows.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NetworkPushTests(EtcdServer etcd) : IAsyncLifetime
{
    private InProcessControlPlane _cp = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _cp = await InProcessControlPlane.StartAsync(etcd);
        _http = _cp.CreateHttpClient();
        _http.BaseAddress = new Uri(_cp.ApiUrl);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _cp.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cp.DisposeAsync();
    }

    private async Task<NetworkSnapshot> PollAsync(string? version, int wait) =>
        (await _http.GetFromJsonAsync<NetworkSnapshot>($"/api/v1/nodes/h1/network?wait={wait}" + (version is null ? "" : $"&version={version}"), Json.Options))!;

    [Fact]
    public async Task A_change_of_endpoints_answers_the_waiting_poll_within_a_second_and_is_an_event_and_a_gauge()
    {
        await _cp.AddNodeAsync("h1");
        var web = new ServiceObject
        {
            Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec { Image = "local/web:1", Replicas = 1, Resources = new ResourceSpec { Memory = "16Mi" }, Ports = [new PortSpec { ContainerPort = 8080 }] },
        };
        await _cp.Store.ApplyServicesAsync([web], dryRun: false);
        await _cp.Grains.GetGrain<Orchestrator.ControlPlane.Grains.IServiceGrain>("default/web").Reconcile(null);
        var replica = Assert.Single(await _cp.Store.ListReplicasAsync("default", "web"));

        // Unknown version: at once. The same version: held for the wait asked (nothing changes), then the same view.
        var first = await PollAsync(null, 20);
        Assert.Equal("h1", Assert.Single(first.Nodes).Name);
        Assert.Empty(first.Services.Single(s => s.Name == "web").Ready);
        var clock = Stopwatch.StartNew();
        Assert.Equal(first.Version, (await PollAsync(first.Version, 1)).Version);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);

        using var reader = new MetricReader(i => i.Name == "orchestrator.service.endpoints");
        var waiting = PollAsync(first.Version, 20);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the poll answered before anything changed");
        clock.Restart();
        await _cp.Store.SaveReplicaStatusesAsync([new ReplicaStatus
        {
            ReplicaId = replica.Id, Service = "web", Node = "h1", State = ReplicaState.Running, Ready = true, Ip = "10.240.0.2", ContainerId = "c1",
        }]);
        var pushed = await waiting;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the change reached the poll after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.NotEqual(first.Version, pushed.Version);
        Assert.Equal("10.240.0.2", Assert.Single(pushed.Services.Single(s => s.Name == "web").Ready).Ip);

        var point = Assert.Single(reader.Observe(), p => p.Tags["service"] as string == "web" && p.Tags["state"] as string == "ready");
        Assert.Equal(1, point.Value);
        await WaitForEventAsync(e => e.Reason == EndpointChanges.Ready && e.Message.Contains(replica.Id));
    }

    [Fact]
    public async Task A_wait_out_of_range_is_refused_naming_what_is_allowed()
    {
        using var response = await _http.GetAsync("/api/v1/nodes/h1/network?wait=31");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from 0 to 30", await response.Content.ReadAsStringAsync());
    }

    private async Task WaitForEventAsync(Func<ClusterEvent, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<ClusterEvent> events = [];
        while (DateTime.UtcNow < deadline)
        {
            events = await _cp.Events.ListAsync(Orchestrator.ControlPlane.Storage.EventRecorder.ServiceScope("default", "web"));
            if (events.Any(match)) return;
            await Task.Delay(100);
        }
        Assert.Fail("no such event; events: " + string.Join("; ", events.Select(e => $"{e.Reason}: {e.Message}")));
    }
}
