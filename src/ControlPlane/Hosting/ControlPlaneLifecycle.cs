namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// Whether this control plane is stopping. From the first moment of a stop (SIGTERM, an upgrade) it judges no node,
/// places and removes nothing, answers users and agents 503 so they turn to another control plane, and ends its
/// assignment streams; only then do the silo (which hands its grains to the other silos) and the HTTP server stop.
/// Silence that begins while a control plane stops is its own, never the nodes'.
/// </summary>
public sealed class ControlPlaneLifecycle
{
    private readonly CancellationTokenSource _stopping = new();

    public bool Stopping => _stopping.IsCancellationRequested;

    /// <summary>Cancelled when the stop begins: long-running responses (assignment streams) end on it.</summary>
    public CancellationToken StoppingToken => _stopping.Token;

    public void BeginStop()
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
    }
}

public static class StoppingMiddleware
{
    public const string Message = "this control plane is stopping; try another one (or again once it is back)";

    /// <summary>Every route but /healthz answers 503 while the control plane stops (/readyz included: it is not ready).</summary>
    public static void UseStoppingGate(this WebApplication app)
    {
        var lifecycle = app.Services.GetRequiredService<ControlPlaneLifecycle>();
        app.Lifetime.ApplicationStopping.Register(lifecycle.BeginStop);
        app.Use(async (http, next) =>
        {
            if (!lifecycle.Stopping || http.Request.Path == "/healthz")
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "1";
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(Contracts.Json.Serialize(new Contracts.ApiError { Error = Message }));
        });
    }
}
