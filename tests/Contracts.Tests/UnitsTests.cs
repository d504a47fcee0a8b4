namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class UnitsTests
{
    [Theory]
    [InlineData("millicores", "250m", 250)]
    [InlineData("half a core", "0.5", 500)]
    [InlineData("whole cores", "2", 2000)]
    [InlineData("cores with a fraction", "1.5", 1500)]
    [InlineData("one millicore", "1m", 1)]
    [InlineData("surrounding spaces", " 100m ", 100)]
    public void Cpu_parses(string name, string text, long millis)
    {
        Assert.True(Units.TryParseCpuMillis(text, out var parsed), name);
        Assert.Equal(millis, parsed);
    }

    [Theory]
    [InlineData("a word", "lots")]
    [InlineData("empty", "")]
    [InlineData("below a millicore", "0.0001")]
    [InlineData("fractional millicores", "1.5m")]
    [InlineData("negative", "-1")]
    [InlineData("a memory unit", "1Gi")]
    public void Cpu_rejects(string name, string text) =>
        Assert.False(Units.TryParseCpuMillis(text, out _), name);

    [Theory]
    [InlineData(250, "250m")]
    [InlineData(500, "500m")]
    [InlineData(1000, "1")]
    [InlineData(2000, "2")]
    [InlineData(1500, "1500m")]
    public void Cpu_formats_canonically(long millis, string text) => Assert.Equal(text, Units.FormatCpu(millis));

    [Theory]
    [InlineData("mebibytes", "64Mi", 64L << 20)]
    [InlineData("gibibytes", "1Gi", 1L << 30)]
    [InlineData("a fraction of a gibibyte", "1.5Gi", 3L << 29)]
    [InlineData("kibibytes", "512Ki", 512L << 10)]
    [InlineData("plain bytes", "1048576", 1L << 20)]
    [InlineData("decimal megabytes", "129M", 129_000_000)]
    [InlineData("decimal kilobytes", "1k", 1000)]
    [InlineData("half a kibibyte", "0.5Ki", 512)]
    public void Memory_parses(string name, string text, long bytes)
    {
        Assert.True(Units.TryParseMemoryBytes(text, out var parsed), name);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("a word", "lots")]
    [InlineData("empty", "")]
    [InlineData("a unit alone", "Mi")]
    [InlineData("Docker's MB spelling", "64MB")]
    [InlineData("part of a byte", "1.1")]
    [InlineData("negative", "-64Mi")]
    public void Memory_rejects(string name, string text) =>
        Assert.False(Units.TryParseMemoryBytes(text, out _), name);

    [Theory]
    [InlineData(64L << 20, "64Mi")]
    [InlineData(3L << 29, "1536Mi")]
    [InlineData(1L << 30, "1Gi")]
    [InlineData(1024, "1Ki")]
    [InlineData(1000, "1000")]
    [InlineData(0, "0")]
    public void Memory_formats_with_the_largest_exact_binary_unit(long bytes, string text) =>
        Assert.Equal(text, Units.FormatMemory(bytes));
}
