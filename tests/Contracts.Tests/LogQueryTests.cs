namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public sealed class LogQueryTests
{
    [Theory]
    [InlineData(null, null, null, false, "")]
    [InlineData("0", null, 0, false, "?tail=0")]
    [InlineData("25", "true", 25, true, "?tail=25&follow=true")]
    [InlineData("", "False", null, false, "")]
    [InlineData(null, "TRUE", null, true, "?follow=true")]
    public void Reads_tail_and_follow_and_writes_them_for_the_next_hop(string? tail, string? follow, int? lines, bool following, string query)
    {
        var parsed = LogQuery.Parse(tail, follow, out var error);
        Assert.Equal("", error);
        Assert.Equal(new LogQuery(lines, following), parsed);
        Assert.Equal(query, parsed!.ToQueryString());
    }

    [Theory]
    [InlineData("-1", null, "tail \"-1\" is invalid: give a whole number of lines, 0 or more")]
    [InlineData("ten", null, "tail \"ten\" is invalid: give a whole number of lines, 0 or more")]
    [InlineData("1.5", null, "tail \"1.5\" is invalid: give a whole number of lines, 0 or more")]
    [InlineData(null, "yes", "follow \"yes\" is invalid: give true or false")]
    public void Bad_values_are_named_with_what_is_allowed(string? tail, string? follow, string expected)
    {
        Assert.Null(LogQuery.Parse(tail, follow, out var error));
        Assert.Equal(expected, error);
    }
}
