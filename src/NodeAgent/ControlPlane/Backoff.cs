namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>Reconnect delays: 100 ms doubling to 5 s, back to 100 ms once a connection delivers again.</summary>
public sealed class Backoff
{
    public static Backoff Reconnect() => new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return current;
    }

    public void Reset() => _next = _initial;
}
