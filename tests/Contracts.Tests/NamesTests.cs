namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class NamesTests
{
    private static readonly string Long63 = new('a', 63);
    private static readonly string Long64 = new('a', 64);

    [Theory]
    [InlineData("web", true)]
    [InlineData("a", true)]
    [InlineData("web-1", true)]
    [InlineData("1web", true)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("Web", false)]
    [InlineData("web_1", false)]
    [InlineData("web.1", false)]
    [InlineData("", false)]
    public void Dns1123_label(string name, bool valid) => Assert.Equal(valid, Names.IsDns1123Label(name));

    [Fact]
    public void Dns1123_label_is_at_most_63_characters()
    {
        Assert.True(Names.IsDns1123Label(Long63));
        Assert.False(Names.IsDns1123Label(Long64));
    }

    [Theory]
    [InlineData("app", true)]
    [InlineData("App_Name.v1", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("example.com/tier", true)]
    [InlineData("Example.com/tier", false)]
    [InlineData("a/b/c", false)]
    [InlineData("/name", false)]
    [InlineData("prefix/", false)]
    [InlineData("-app", false)]
    [InlineData("app name", false)]
    [InlineData("", false)]
    public void Label_key(string key, bool valid) => Assert.Equal(valid, Names.IsLabelKey(key));

    [Fact]
    public void Label_key_name_is_at_most_63_characters()
    {
        Assert.True(Names.IsLabelKey("example.com/" + Long63));
        Assert.False(Names.IsLabelKey("example.com/" + Long64));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2", true)]
    [InlineData("blue_green-3", true)]
    [InlineData("-a", false)]
    [InlineData("a.", false)]
    [InlineData("a b", false)]
    public void Label_value(string value, bool valid) => Assert.Equal(valid, Names.IsLabelValue(value));

    [Fact]
    public void Label_value_is_at_most_63_characters()
    {
        Assert.True(Names.IsLabelValue(Long63));
        Assert.False(Names.IsLabelValue(Long64));
    }

    [Theory]
    [InlineData("GREETING", true)]
    [InlineData("_token", true)]
    [InlineData("A1_B2", true)]
    [InlineData("1A", false)]
    [InlineData("A-B", false)]
    [InlineData("A.B", false)]
    [InlineData("", false)]
    public void Env_name(string name, bool valid) => Assert.Equal(valid, Names.IsEnvName(name));
}
