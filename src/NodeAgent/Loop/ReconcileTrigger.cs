using System.Threading.Channels;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// Coalesces requests for a reconcile: any number of requests while one runs (a burst of engine events,
/// an assignment change) make exactly one more pass, so reconciles never overlap and never queue up.
/// </summary>
public sealed class ReconcileTrigger
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Request() => _pending.Writer.TryWrite(true);

    /// <summary>Completes when a request is pending (consuming it) or <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var timer = time.CreateTimer(_ => wait.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
        try { await _pending.Reader.ReadAsync(wait.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }
}
