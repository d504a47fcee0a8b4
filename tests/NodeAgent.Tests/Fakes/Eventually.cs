namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>Polls a condition of a running loop; fails with the description when it does not hold in time.</summary>
public static class Eventually
{
    public static Task HoldsAsync(Func<bool> condition, TimeSpan within, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {within.TotalSeconds:0.#} s: {what}");
            await Task.Delay(50);
        }
    }
}
