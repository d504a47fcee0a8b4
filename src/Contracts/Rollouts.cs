using System.Globalization;
using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>spec.updateStrategy.order: whether a replaced replica's successor starts before it stops, or after.</summary>
public enum UpdateOrder { StartFirst, StopFirst }

/// <summary>spec.updateStrategy.onFailure: what a failed rollout does.</summary>
public enum FailureAction { Pause, Rollback }

/// <summary>
/// spec.updateStrategy: how a spec change replaces running replicas (Kubernetes' RollingUpdate with Swarm's order and
/// failure action). <see cref="MaxSurge"/> and <see cref="MaxUnavailable"/> are stored as "1" or "25%".
/// </summary>
public sealed record UpdateStrategy
{
    public const string DefaultMaxSurge = "25%";
    public const string DefaultMaxUnavailable = "25%";
    public const string DefaultProgressDeadline = "2m";

    /// <summary>Replicas above the desired count while updating: a number or a percentage of replicas (rounded up).</summary>
    public string MaxSurge { get; init; } = DefaultMaxSurge;
    /// <summary>Replicas below the desired count that may be unavailable while updating (percentages rounded down).</summary>
    public string MaxUnavailable { get; init; } = DefaultMaxUnavailable;
    /// <summary>Which of the two budgets a replacement uses first.</summary>
    public UpdateOrder Order { get; init; } = UpdateOrder.StartFirst;
    /// <summary>How long a new replica must stay ready before it counts as available.</summary>
    public int MinReadySeconds { get; init; }
    /// <summary>A rollout that makes no progress for this long has failed.</summary>
    public string ProgressDeadline { get; init; } = DefaultProgressDeadline;
    public FailureAction OnFailure { get; init; } = FailureAction.Pause;

    public static readonly UpdateStrategy Default = new();

    [JsonIgnore] public TimeSpan ProgressDeadlineTime => Durations.Parse(ProgressDeadline);

    /// <summary>
    /// The two budgets for <paramref name="replicas"/> replicas, as Kubernetes resolves them: surge rounds up,
    /// unavailable rounds down, and when both come out 0 one replica may be unavailable so that the rollout can move.
    /// </summary>
    public (int Surge, int Unavailable) Budgets(int replicas)
    {
        var surge = Resolve(MaxSurge, replicas, roundUp: true);
        var unavailable = Resolve(MaxUnavailable, replicas, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    private static int Resolve(string value, int replicas, bool roundUp)
    {
        if (!TryParseAmount(value, out var amount, out var percent)) return 0;
        if (!percent) return amount;
        var exact = replicas * amount / 100.0;
        return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
    }

    /// <summary>"3" or "25%": a whole number, or a whole percentage from 0 to 100.</summary>
    public static bool TryParseAmount(string text, out int amount, out bool percent)
    {
        percent = text.EndsWith('%');
        var digits = percent ? text[..^1] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out amount) && (!percent || amount <= 100);
    }

    public static string Word(UpdateOrder order) => order == UpdateOrder.StopFirst ? "stop-first" : "start-first";
    public static string Word(FailureAction action) => action == FailureAction.Rollback ? "rollback" : "pause";
}

/// <summary>Where a service's rollout stands.</summary>
public enum RolloutPhase
{
    /// <summary>Replicas of the current revision are being started and old ones stopped.</summary>
    Progressing,
    /// <summary>Every desired replica runs the current revision and is available.</summary>
    Complete,
    /// <summary>Paused by a person (`orc rollout pause`): nothing is replaced until resumed.</summary>
    Paused,
    /// <summary>Stopped by a failure (onFailure: pause); resume or undo to go on.</summary>
    Failed,
    /// <summary>The rollout failed and the previous revision is being brought back (onFailure: rollback).</summary>
    RollingBack,
    /// <summary>The previous revision is back after a failed rollout.</summary>
    RolledBack,
}

/// <summary>
/// A service's rollout as the control plane tracks it (stored at /orchestrator/rollouts/{ns}/{name}): which revision
/// is being rolled out from which, how far it got, and why it failed.
/// </summary>
public sealed record RolloutStatus
{
    /// <summary>The revision being rolled out (the service's current one).</summary>
    public long Revision { get; init; }
    /// <summary>The revision that was current before; 0 for a new service.</summary>
    public long FromRevision { get; init; }
    public RolloutPhase Phase { get; init; }
    /// <summary>Set by `orc rollout pause`, cleared by resume: while set, no replica is replaced.</summary>
    public bool Paused { get; init; }
    public int Desired { get; init; }
    /// <summary>Replicas of the current revision.</summary>
    public int Updated { get; init; }
    /// <summary>Replicas of the current revision that are available (ready for minReadySeconds).</summary>
    public int Available { get; init; }
    /// <summary>Replicas of other revisions still present, stopping ones included.</summary>
    public int Old { get; init; }
    public string? Message { get; init; }
    /// <summary>The revision whose rollout failed, and why ("replica web.1.ab12 failed its readiness probe ...").</summary>
    public long? FailedRevision { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>The last time a replica became available or an old one went away: the progress deadline counts from it.</summary>
    public DateTimeOffset LastProgressAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>A phase that needs nothing more from the rollout itself.</summary>
    [JsonIgnore] public bool Settled => Phase is RolloutPhase.Complete or RolloutPhase.Failed or RolloutPhase.RolledBack;
    /// <summary>Settled, and not in the way the person asked for.</summary>
    [JsonIgnore] public bool Unsuccessful => Phase is RolloutPhase.Failed or RolloutPhase.RolledBack;
}

/// <summary>POST /api/v1/namespaces/{ns}/services/{name}/rollout/undo.</summary>
public sealed record UndoRequest
{
    /// <summary>The revision to go back to; null means the one before the current.</summary>
    public long? ToRevision { get; init; }
}
