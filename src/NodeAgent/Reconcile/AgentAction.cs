using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>One step that brings the engine closer to the assignment; produced by <see cref="AgentReconciler"/>.</summary>
public abstract record AgentAction;

/// <summary>No container of the replica exists with its spec hash: create and start one.</summary>
public sealed record CreateContainer(Replica Replica) : AgentAction;

/// <summary>The replica's container exists but is not running: start it again (restart policy "always").</summary>
public sealed record StartContainer(string ContainerId, Replica Replica) : AgentAction
{
    /// <summary>The container was created but never ran (its first start failed): starting it is no restart.</summary>
    public bool NeverStarted { get; init; }
}

/// <summary>The container must go; <see cref="Reason"/> says why, for the log and for a person asking.</summary>
public sealed record RemoveContainer(string ContainerId, string ContainerName, string Reason) : AgentAction;

/// <summary>
/// The container must stop gracefully and go: its stop signal, then <see cref="Grace"/> (null: the grace it was created
/// with) before SIGKILL, then removal. Runs in the background, so that a long grace holds up nothing else.
/// </summary>
public sealed record StopContainer(string ContainerId, string ContainerName, string Reason, TimeSpan? Grace) : AgentAction;

/// <summary>Why a container is removed; one constant per rule of <see cref="AgentReconciler"/>.</summary>
public static class RemoveReasons
{
    public const string NotAssigned = "replica is not assigned to this node";
    public const string Terminating = "replica is being replaced by a rollout";
    public const string NoReplicaLabel = "container has no replica label";
    public const string SpecChanged = "spec hash differs from the assignment";
    public const string Duplicate = "another container runs the same replica";
    public const string Dead = "container is dead and cannot be started";
}
