using System.Text;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// Turns the chunks of a demultiplexed log stream into whole lines. Each stream (stdout, stderr) keeps its own
/// partial line and its own UTF-8 decoder, so a line or a character split across chunks, or interleaved with the
/// other stream, still comes out whole.
/// </summary>
public sealed class LogLines
{
    private readonly Dictionary<int, (Decoder Decoder, StringBuilder Partial)> _streams = new();

    /// <summary>The lines that <paramref name="count"/> bytes of stream <paramref name="stream"/> complete, without their line ends.</summary>
    public List<string> Add(int stream, byte[] buffer, int count)
    {
        if (!_streams.TryGetValue(stream, out var s)) _streams[stream] = s = (Encoding.UTF8.GetDecoder(), new StringBuilder());
        var chars = new char[Encoding.UTF8.GetMaxCharCount(count)];
        var n = s.Decoder.GetChars(buffer, 0, count, chars, 0, flush: false);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < n; i++)
        {
            if (chars[i] != '\n') continue;
            s.Partial.Append(chars, start, i - start);
            lines.Add(TrimCarriageReturn(s.Partial.ToString()));
            s.Partial.Clear();
            start = i + 1;
        }
        s.Partial.Append(chars, start, n - start);
        return lines;
    }

    /// <summary>At the end of the stream: the last lines that had no line end, stdout's first.</summary>
    public List<string> Flush() =>
        _streams.OrderBy(s => s.Key).Where(s => s.Value.Partial.Length > 0)
            .Select(s => TrimCarriageReturn(s.Value.Partial.ToString())).ToList();

    private static string TrimCarriageReturn(string line) => line.EndsWith('\r') ? line[..^1] : line;
}
