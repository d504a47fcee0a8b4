namespace Orchestrator.Contracts;

/// <summary>The outcome of reading manifests: every object, or every error (never a half).</summary>
public sealed record LoadResult
{
    public List<ServiceObject> Services { get; init; } = new();
    public List<ValidationError> Errors { get; init; } = new();
    public bool Ok => Errors.Count == 0;
}
