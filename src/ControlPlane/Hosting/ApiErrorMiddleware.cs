using Microsoft.AspNetCore.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Every failure reaches the client as an ApiError sentence; the stack trace stays in the log.</summary>
public static class ApiErrorMiddleware
{
    public static void UseApiErrors(this WebApplication app) =>
        app.UseExceptionHandler(handler => handler.Run(async http =>
        {
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, message) = error switch
            {
                ConflictException c => (StatusCodes.Status409Conflict, c.Message),
                BadHttpRequestException b => (StatusCodes.Status400BadRequest, $"bad request: {b.InnerException?.Message ?? b.Message}"),
                _ => (StatusCodes.Status500InternalServerError, $"internal error: {error?.Message}"),
            };
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(Json.Serialize(new ApiError { Error = message }));
        }));
}
