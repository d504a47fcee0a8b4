namespace Orchestrator.Contracts;

/// <summary>What a taint does to replicas that do not tolerate it (Kubernetes' taint effects).</summary>
public enum TaintEffect
{
    /// <summary>No new replica lands here; those already running stay.</summary>
    NoSchedule,
    /// <summary>New replicas avoid the node when another will do.</summary>
    PreferNoSchedule,
    /// <summary>No new replica lands here, and running ones are evicted.</summary>
    NoExecute,
}

/// <summary>A mark on a node that repels replicas without a matching <see cref="Toleration"/>, e.g. dedicated=gpu:NoSchedule.</summary>
public sealed record Taint
{
    public string Key { get; init; } = "";
    public string Value { get; init; } = "";
    public TaintEffect Effect { get; init; }

    /// <summary>"dedicated=gpu:NoSchedule", or "dedicated:NoSchedule" without a value: the agent flag's spelling.</summary>
    public override string ToString() => Value.Length == 0 ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}

public enum TolerationOperator { Equal, Exists }

/// <summary>Lets a replica onto (or keeps it on) a node with a matching taint.</summary>
public sealed record Toleration
{
    /// <summary>Empty with Exists tolerates every taint.</summary>
    public string Key { get; init; } = "";
    public TolerationOperator Operator { get; init; } = TolerationOperator.Equal;
    /// <summary>Compared with Equal; must be empty with Exists.</summary>
    public string Value { get; init; } = "";
    /// <summary>null tolerates every effect of the matching taint.</summary>
    public TaintEffect? Effect { get; init; }

    /// <summary>Kubernetes' rule: the effect matches (or is not given), and the key and value match as the operator says.</summary>
    public bool Tolerates(Taint taint) =>
        (Effect is null || Effect == taint.Effect) && Operator switch
        {
            TolerationOperator.Exists => Key.Length == 0 || Key == taint.Key,
            _ => Key == taint.Key && Value == taint.Value,
        };
}
