using System.Text.Json;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class OutputTests
{
    [Theory]
    [InlineData("just now", 0, "0s")]
    [InlineData("seconds", 45, "45s")]
    [InlineData("whole minutes only", 3 * 60 + 59, "3m")]
    [InlineData("hours", 2 * 3600 + 10, "2h")]
    [InlineData("days", 5 * 86400, "5d")]
    [InlineData("years", 400 * 86400, "1y")]
    [InlineData("a clock slightly ahead", -0.5, "0s")]
    [InlineData("a clock far ahead", -30, "<invalid>")]
    public void Ages_read_like_kubectl(string name, double secondsAgo, string wanted)
    {
        Assert.True(wanted == Age.Since(Orc.Now.AddSeconds(-secondsAgo), Orc.Now), name);
    }

    [Fact]
    public void An_unknown_time_has_no_age()
    {
        Assert.Equal("<unknown>", Age.Since(null, Orc.Now));
        Assert.Equal("<unknown>", Age.Since(default(DateTimeOffset), Orc.Now));
    }

    [Fact]
    public void Table_columns_are_as_wide_as_their_widest_cell_with_no_trailing_blanks()
    {
        var output = new StringWriter();

        new Table("A", "LONGER", "C").Add("wide cell", "x", "").Add("y", "", "last").Write(output, indent: "  ");

        Assert.Equal("  A           LONGER   C\n  wide cell   x\n  y                    last\n", output.ToString());
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => new Table("A", "B").Add("only one"));
    }

    [Fact]
    public void Yaml_keeps_strings_that_look_like_other_types_as_strings()
    {
        var json = JsonDocument.Parse("""
            {"name":"web","replicas":3,"ready":true,"gone":null,"env":{"PORT":"8080","DEBUG":"false","EMPTY":"","TILDE":"~"},
             "args":["--port","a: b"],"labels":{},"ports":[]}
            """).RootElement;

        Assert.Equal("""
            name: web
            replicas: 3
            ready: true
            gone: null
            env:
              PORT: "8080"
              DEBUG: "false"
              EMPTY: ""
              TILDE: "~"
            args:
            - --port
            - 'a: b'
            labels: {}
            ports: []

            """.Replace("\r\n", "\n"), YamlFromJson.Convert(json));
    }
}
