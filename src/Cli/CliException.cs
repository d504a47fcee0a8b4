using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// A failure meant for a person: the message is printed as "error: message", each detail on its own line,
/// and the command exits 1. Anything else that escapes a command is a bug and is reported the same way.
/// </summary>
public sealed class CliException(string message, IReadOnlyList<ValidationError>? details = null, Exception? inner = null)
    : Exception(message, inner)
{
    public IReadOnlyList<ValidationError> Details { get; } = details ?? [];
}
