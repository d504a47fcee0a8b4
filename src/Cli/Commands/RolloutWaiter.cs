using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// Follows a service's rollout until it settles, printing each change of progress, as `kubectl rollout status` does.
/// 0 when the current revision is rolled out; 1 when it failed (rolled back or held), is paused, or the time ran out.
/// </summary>
public sealed class RolloutWaiter(CliContext context, OrcApi api)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public async Task<int> WaitAsync(string ns, string name, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = context.Now + timeout;
        string? last = null;
        while (true)
        {
            var detail = await api.GetServiceAsync(ns, name, ct);
            var rollout = detail.Rollout;
            var current = detail.Service.Metadata.Revision;
            // The control plane has not looked at the latest revision yet: wait for it rather than report the old one.
            var seen = rollout is not null && rollout.Revision == current;
            // Complete stays Complete through a later scale: wait until the counts say so too.
            if (seen && rollout!.Phase == RolloutPhase.Complete && rollout.Available >= rollout.Desired && rollout.Old == 0)
            {
                context.Out.WriteLine($"service/{name} successfully rolled out (revision {rollout.Revision}: {rollout.Message})");
                return 0;
            }
            if (seen && rollout!.Phase == RolloutPhase.RolledBack)
            {
                context.Err.WriteLine($"error: rollout of service/{name} revision {rollout.FailedRevision} failed: {rollout.FailureReason}");
                context.Err.WriteLine($"  rolled back: the spec of revision {rollout.FromRevision} runs again as revision {rollout.Revision} ({rollout.Available} of {rollout.Desired} available)");
                return 1;
            }
            if (seen && rollout!.Phase == RolloutPhase.Failed)
            {
                context.Err.WriteLine($"error: rollout of service/{name} revision {rollout.FailedRevision ?? rollout.Revision} failed: {rollout.FailureReason}");
                context.Err.WriteLine($"  held where it stopped ({RolloutProgress(rollout)}); `orc rollout undo {name}` goes back, `orc rollout resume {name}` tries again");
                return 1;
            }
            if (seen && rollout!.Phase == RolloutPhase.Paused)
            {
                context.Err.WriteLine($"error: rollout of service/{name} revision {rollout.Revision} is paused ({RolloutProgress(rollout)}); `orc rollout resume {name}` to go on");
                return 1;
            }
            var line = !seen
                ? $"Waiting for the control plane to take up revision {current} of service/{name}..."
                : rollout!.Phase == RolloutPhase.RollingBack
                    ? $"Revision {rollout.FailedRevision} failed ({rollout.FailureReason}); rolling back: {RolloutProgress(rollout)}..."
                    : $"Waiting for rollout of service/{name} to finish: {RolloutProgress(rollout)}...";
            if (line != last) context.Out.WriteLine(line);
            last = line;
            if (context.Now > deadline)
            {
                context.Err.WriteLine($"error: rollout of service/{name} did not finish within {Durations.Format(timeout)}: {(seen ? RolloutProgress(rollout!) : "not yet taken up")}");
                return 1;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), context.Environment.Time, ct);
        }
    }

    private static string RolloutProgress(RolloutStatus r) =>
        $"{r.Available} of {r.Desired} updated replicas available, {r.Old} old replica(s) left";
}
