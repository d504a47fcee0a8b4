namespace Orchestrator.NodeAgent.Network;

/// <summary>
/// The Docker network new replicas join: none with --network-mode none; with host-gw, the cluster bridge once the
/// agent has set it up (a replica created before that waits for it, so that no replica lands on the wrong network).
/// </summary>
public sealed class ReplicaNetwork(bool enabled)
{
    /// <summary>How long a create waits for the bridge before it fails (and is retried with back-off).</summary>
    public static readonly TimeSpan SetupWait = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static ReplicaNetwork Disabled { get; } = new(false);

    public bool Enabled => enabled;
    public string? Name => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    /// <summary>The bridge's gateway, where the agent answers DNS: every replica's resolver (null until the bridge is up).</summary>
    public string? Resolver { get; private set; }

    public void SetReady(string networkName, string? resolver = null)
    {
        Resolver = resolver;
        _ready.TrySetResult(networkName);
    }

    /// <summary>The network to create a replica on: null for the engine's default.</summary>
    public async Task<string?> ForNewReplicaAsync(CancellationToken ct)
    {
        if (!enabled) return null;
        try { return await _ready.Task.WaitAsync(SetupWait, ct); }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"the cluster network is not set up yet (no subnet from the control plane after {SetupWait.TotalSeconds:0} s); see the agent's log");
        }
    }
}
