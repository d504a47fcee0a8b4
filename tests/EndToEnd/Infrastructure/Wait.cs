using System.Diagnostics;

namespace Orchestrator.EndToEnd.Infrastructure;

public static class Wait
{
    /// <summary>Polls until the condition holds; fails with what was awaited and for how long.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return clock.Elapsed;
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds:0}s for {what}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }
}
