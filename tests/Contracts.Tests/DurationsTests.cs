namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class DurationsTests
{
    [Theory]
    [InlineData("1s", 1000, "1s")]
    [InlineData("500ms", 500, "500ms")]
    [InlineData("2m", 120_000, "2m")]
    [InlineData("1h", 3_600_000, "1h")]
    [InlineData("90s", 90_000, "1m30s")]
    [InlineData("1m30s", 90_000, "1m30s")]
    [InlineData("1500ms", 1500, "1s500ms")]
    [InlineData("0s", 0, "0s")]
    public void Parses_and_formats_canonically(string text, long millis, string canonical)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(millis), d);
        Assert.Equal(canonical, Durations.Format(d));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("1 s")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData("00:00:01")]
    [InlineData("99999999999999999999s")]
    [InlineData("100000h")]
    public void Refuses_what_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Parse_names_what_is_allowed() =>
        Assert.Contains("like \"500ms\"", Assert.Throws<FormatException>(() => Durations.Parse("soon")).Message);
}
