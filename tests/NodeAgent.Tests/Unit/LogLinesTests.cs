using System.Text;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class LogLinesTests
{
    private const int Stdout = 1, Stderr = 2;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Whole_lines_come_out_without_their_line_ends()
    {
        var lines = new LogLines();
        Assert.Equal(["one", "two"], lines.Add(Stdout, Bytes("one\r\ntwo\n"), 9));
        Assert.Empty(lines.Flush());
    }

    [Fact]
    public void A_line_split_across_chunks_and_interleaved_with_the_other_stream_stays_whole()
    {
        var lines = new LogLines();
        Assert.Empty(lines.Add(Stdout, Bytes("hel"), 3));
        Assert.Equal(["oops"], lines.Add(Stderr, Bytes("oops\n"), 5));
        Assert.Equal(["hello"], lines.Add(Stdout, Bytes("lo\npart"), 7));
        Assert.Equal(["part"], lines.Flush());
    }

    [Fact]
    public void A_character_split_between_chunks_is_decoded_whole()
    {
        var bytes = Bytes("é\n"); // 0xC3 0xA9 0x0A
        var lines = new LogLines();
        Assert.Empty(lines.Add(Stdout, [bytes[0]], 1));
        Assert.Equal(["é"], lines.Add(Stdout, bytes[1..], 2));
    }
}
