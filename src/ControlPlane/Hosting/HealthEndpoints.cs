using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));

        // Ready means both halves answer: etcd (state) and the silo (grains).
        app.MapGet("/readyz", async (EtcdKv kv, ClusterCache cache, IGrainFactory grains, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await kv.CurrentRevisionAsync(timeout.Token);
                if (!cache.IsSynced) return Results.Text("the cluster cache has not listed etcd yet", statusCode: 503);
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(timeout.Token);
                return hosts.Count > 0 ? Results.Text("ready") : Results.Text("no active silo", statusCode: 503);
            }
            catch (Exception e)
            {
                return Results.Text($"not ready: {e.Message}", statusCode: 503);
            }
        });
    }
}
