using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));

        // Ready means both halves answer: etcd (state) and the silo (grains).
        // Open to anyone, so it says only "not ready": the reason (an etcd address, an exception) goes to the log.
        app.MapGet("/readyz", async (EtcdKv kv, ClusterCache cache, AdminTokenBootstrap admin, IGrainFactory grains, ILogger<ClusterCache> log, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await kv.CurrentRevisionAsync(timeout.Token);
                if (!cache.IsSynced) return NotReady(log, "the cluster cache has not listed etcd yet");
                if (!admin.IsDone) return NotReady(log, "the admin token is not in etcd yet");
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(timeout.Token);
                return hosts.Count > 0 ? Results.Text("ready") : NotReady(log, "no active silo");
            }
            catch (Exception e)
            {
                return NotReady(log, e.Message);
            }
        });
    }

    private static IResult NotReady(ILogger log, string why)
    {
        log.LogInformation("/readyz: not ready: {Why}", why);
        return Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
