namespace Orchestrator.Orc;

/// <summary>
/// A follow (`logs -f`) or a watch (`get -w`, `events -w`) has no end of its own: Ctrl-C or SIGTERM is how it is meant to
/// stop, so that is a success and nothing is printed about it.
/// </summary>
public static class Following
{
    public static async Task<int> UntilInterruptedAsync(Func<Task<int>> follow, CancellationToken ct)
    {
        try
        {
            return await follow();
        }
        // A stream cut by the cancellation may surface as an I/O error rather than a cancellation.
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
        {
            return 0;
        }
    }
}
