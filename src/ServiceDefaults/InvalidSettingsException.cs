namespace Orchestrator.ServiceDefaults;

/// <summary>Settings a process cannot start with, one line per problem; the host prints them and exits with code 2.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
