using System.Text;

namespace Orchestrator.Contracts;

/// <summary>A command string split into words as a POSIX shell would, without expansions: quotes and backslashes only.</summary>
internal static class ShellWords
{
    /// <summary>The words, or null when a quote is left open.</summary>
    public static List<string>? Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '"')
            {
                var end = text.IndexOf(c, i + 1);
                if (c == '"') end = ClosingDoubleQuote(text, i + 1);
                if (end < 0) return null;
                var quoted = text[(i + 1)..end];
                word.Append(c == '"' ? quoted.Replace("\\\"", "\"").Replace("\\\\", "\\") : quoted);
                inWord = true;
                i = end;
            }
            else if (c == '\\' && i + 1 < text.Length) { word.Append(text[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else { word.Append(c); inWord = true; }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static int ClosingDoubleQuote(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i;
        }
        return -1;
    }
}
