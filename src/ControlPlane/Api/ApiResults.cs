using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Api;

/// <summary>Every error answer is an <see cref="ApiError"/>, so the CLI can always print a sentence.</summary>
public static class ApiResults
{
    public static IResult Error(int status, string message, List<ValidationError>? details = null) =>
        Results.Json(new ApiError { Error = message, Details = details ?? new() }, Json.Options, statusCode: status);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);
    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    /// <summary>A 400 for a name that cannot exist, before any lookup; null when the name is fine.</summary>
    public static IResult? CheckName(string name, string what) =>
        Names.IsDns1123Label(name) ? null : BadRequest($"{what} name \"{name}\" is invalid: {Names.Dns1123Allowed}");
}
