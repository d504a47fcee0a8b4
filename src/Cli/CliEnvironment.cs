namespace Orchestrator.Orc;

/// <summary>
/// What the command reads from the process around it. Tests pass their own so that a developer's
/// ORC_SERVER, ~/.orc/config.json or clock never leak into them.
/// </summary>
public sealed record CliEnvironment
{
    public Func<string, string?> Variable { get; init; } = _ => null;
    public string HomeDirectory { get; init; } = "";
    public TextReader Stdin { get; init; } = TextReader.Null;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliEnvironment FromProcess() => new()
    {
        Variable = Environment.GetEnvironmentVariable,
        HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Stdin = Console.In,
        Time = TimeProvider.System,
    };

    /// <summary>ORC_DEBUG=1 shows the exception behind an error message.</summary>
    public bool Debug => Variable("ORC_DEBUG") is "1" or "true";
}
