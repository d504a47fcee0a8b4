using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>When the agent starts an exited container again (spec.restartPolicy.condition).</summary>
public enum RestartCondition { Always, OnFailure, Never }

/// <summary>
/// spec.restartPolicy: which exits the agent restarts, how often, and how long it waits in between.
/// Durations are stored canonically ("1s", "500ms"); see <see cref="Durations"/>.
/// </summary>
public sealed record RestartPolicy
{
    public const string DefaultDelay = "1s";
    public const string DefaultMaxDelay = "30s";

    public RestartCondition Condition { get; init; } = RestartCondition.Always;
    /// <summary>on-failure only: restarts after which the agent gives up; 0 = no limit.</summary>
    public int MaxAttempts { get; init; }
    /// <summary>The first back-off; it doubles with each restart up to <see cref="MaxDelay"/>.</summary>
    public string Delay { get; init; } = DefaultDelay;
    public string MaxDelay { get; init; } = DefaultMaxDelay;

    [JsonIgnore] public TimeSpan DelayTime => Durations.Parse(Delay);
    [JsonIgnore] public TimeSpan MaxDelayTime => Durations.Parse(MaxDelay);

    /// <summary>What a service without spec.restartPolicy gets: restart on every exit.</summary>
    public static readonly RestartPolicy Default = new();

    /// <summary>The manifest word of a condition: always, on-failure, never.</summary>
    public static string Word(RestartCondition condition) => condition switch
    {
        RestartCondition.OnFailure => "on-failure",
        RestartCondition.Never => "never",
        _ => "always",
    };
}

/// <summary>
/// spec.livenessProbe / spec.readinessProbe, shaped like Kubernetes': exactly one of <see cref="Exec"/>,
/// <see cref="HttpGet"/>, <see cref="TcpSocket"/>, and the timing and thresholds (defaults are Kubernetes').
/// </summary>
public sealed record Probe
{
    public ExecAction? Exec { get; init; }
    public HttpGetAction? HttpGet { get; init; }
    public TcpSocketAction? TcpSocket { get; init; }
    public int InitialDelaySeconds { get; init; }
    public int PeriodSeconds { get; init; } = 10;
    public int TimeoutSeconds { get; init; } = 1;
    public int FailureThreshold { get; init; } = 3;
    /// <summary>Consecutive successes before a failing probe counts as passing again; a liveness probe must keep 1.</summary>
    public int SuccessThreshold { get; init; } = 1;

    /// <summary>"exec [sh -c test -f /tmp/healthy]", "http-get :8080/", "tcp-socket :8080", as `orc describe` shows it.</summary>
    public string Describe() =>
        Exec is { } e ? $"exec [{string.Join(" ", e.Command)}]"
        : HttpGet is { } h ? $"http-get :{h.Port}{h.Path}"
        : TcpSocket is { } t ? $"tcp-socket :{t.Port}"
        : "none";
}

/// <summary>Runs a command inside the container; exit code 0 is success.</summary>
public sealed record ExecAction
{
    public List<string> Command { get; init; } = new();
}

/// <summary>GET http://container-address:Port/Path; a 2xx or 3xx answer is success.</summary>
public sealed record HttpGetAction
{
    public string Path { get; init; } = "/";
    public int Port { get; init; }
}

/// <summary>A TCP connection to the container's port that opens is success.</summary>
public sealed record TcpSocketAction
{
    public int Port { get; init; }
}
