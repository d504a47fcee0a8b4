using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// A body over the limit is answered 413 with the limit named, before anything reads it. Kestrel enforces the same
/// limit on bodies without a Content-Length (chunked) while they are read: an endpoint's body binding then sets 413
/// and writes nothing, other readers throw; both are answered here with the same sentence.
/// </summary>
public static class RequestBodyLimit
{
    public static void UseRequestBodyLimit(this WebApplication app, long maxBytes) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > maxBytes)
            {
                await TooLarge(maxBytes).ExecuteAsync(http);
                return;
            }
            try
            {
                await next(http);
                if (http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
                    await TooLarge(maxBytes).ExecuteAsync(http);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
            {
                await TooLarge(maxBytes).ExecuteAsync(http);
            }
        });

    private static IResult TooLarge(long maxBytes) =>
        ApiResults.Error(StatusCodes.Status413PayloadTooLarge,
            $"the request body is larger than the limit of {ManifestLimits.Size(maxBytes)} ({maxBytes} bytes); " +
            "apply the manifests in smaller parts");
}
