using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

[Trait("Category", "Unit")]
public sealed class EventTextTests
{
    [Theory]
    [InlineData(3, "r1, r2, r3")]
    [InlineData(20, "r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, r20")]
    [InlineData(1000, "r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, r20 and 980 more")]
    public void Many_names_are_the_first_twenty_and_how_many_more(int count, string text) =>
        Assert.Equal(text, EventText.Names(Enumerable.Range(1, count).Select(i => $"r{i}").ToList()));
}
