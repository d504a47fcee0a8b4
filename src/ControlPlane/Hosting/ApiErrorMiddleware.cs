using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Every failure reaches the client as an ApiError sentence; the stack trace stays in the log.</summary>
public static class ApiErrorMiddleware
{
    public static void UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async http =>
        {
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, message) = error switch
            {
                ConflictException c => (StatusCodes.Status409Conflict, c.Message),
                ApplyTooLargeException t => (StatusCodes.Status413PayloadTooLarge, t.Message),
                Secrets.SecretUnreadableException u => (StatusCodes.Status500InternalServerError, u.Message),
                BadHttpRequestException b => (StatusCodes.Status400BadRequest, $"bad request: {b.InnerException?.Message ?? b.Message}"),
                _ => (StatusCodes.Status500InternalServerError, $"internal error: {error?.Message}"),
            };
            await WriteAsync(http, status, message);
        }));
        // etcd unreachable (restarting, partitioned) is an outage to wait out, not a bug: 503 and one line in the log.
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orchestrator.ControlPlane.Api");
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (StoreUnavailable(e) is { } rpc && !http.Response.HasStarted)
            {
                log.LogWarning("{Method} {Path}: etcd unreachable ({Detail})", http.Request.Method, http.Request.Path, rpc.Status.Detail);
                http.Response.Clear();
                http.Response.Headers.RetryAfter = "1";
                await WriteAsync(http, StatusCodes.Status503ServiceUnavailable, $"the cluster store (etcd) cannot be reached: {rpc.Status.Detail}; try again");
            }
        });
    }

    /// <summary>The etcd failure inside <paramref name="e"/> when it means "cannot reach etcd now".</summary>
    public static RpcException? StoreUnavailable(Exception e) =>
        (e as RpcException ?? e.GetBaseException() as RpcException) is { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } rpc ? rpc : null;

    private static async Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(Json.Serialize(new ApiError { Error = message }));
    }
}
