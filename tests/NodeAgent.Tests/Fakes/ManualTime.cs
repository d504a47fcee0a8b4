namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>A clock the test moves by hand, for the pure pieces that only ask what time it is.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
}
