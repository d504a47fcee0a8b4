using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestrator.Contracts;

/// <summary>
/// A look at a file's YAML events before any node is built. YamlDotNet's composer recurses once per nesting level
/// and resolves aliases to shared nodes, so 100,000 nested '[' overflow the stack (a crash no handler can catch), an
/// alias bomb multiplies in every reader that walks the nodes, and a self-referencing alias used as a mapping key
/// hashes forever. The event stream is flat: counting depth, alias expansion and documents on it costs one pass and
/// no memory beyond the anchors' sizes.
/// </summary>
public static class YamlPreflight
{
    /// <summary>What the scan found: the first limit broken (or null) and how many non-empty documents the file holds.</summary>
    public sealed record Result(ValidationError? Error, int Objects);

    /// <summary>
    /// Scans <paramref name="content"/>; <paramref name="objectsBefore"/> is the count of earlier files in the same
    /// apply, so that the object limit names the document that crosses it. Malformed YAML is not reported here: the
    /// loader reports it where the parser stops.
    /// </summary>
    public static Result Scan(string content, string file, int objectsBefore = 0)
    {
        var scan = new EventScan(file);
        var parser = new Parser(new StringReader(content));
        try
        {
            while (parser.MoveNext())
            {
                if (scan.Next(parser.Current!, objectsBefore) is { } error) return new Result(error, scan.Objects);
            }
        }
        catch (YamlException)
        {
            // The loader parses again and reports it with the parser's own words and position.
        }
        return new Result(null, scan.Objects);
    }

    private sealed class EventScan(string file)
    {
        // The open mappings and lists, innermost on top.
        private readonly Stack<Node> _open = new();
        // Anchor -> the size of its node, for what each alias to it adds. Anchors do not cross documents.
        private readonly Dictionary<string, long> _anchors = new();
        private long _expanded;
        private bool _atDocumentRoot;

        public int Objects { get; private set; }

        public ValidationError? Next(ParsingEvent e, int objectsBefore)
        {
            if (e is DocumentStart)
            {
                _anchors.Clear();
                _atDocumentRoot = true;
                return null;
            }
            if (_atDocumentRoot && e is NodeEvent or AnchorAlias)
            {
                _atDocumentRoot = false;
                if (e is not Scalar root || !IsNull(root))
                {
                    Objects++;
                    if (objectsBefore + Objects > ManifestLimits.MaxObjects)
                        return Error(e, $"more than {ManifestLimits.MaxObjects} objects in one apply; apply them in several parts");
                }
            }
            return e switch
            {
                AnchorAlias alias => Alias(alias),
                Scalar scalar => Leaf(scalar.Anchor, 1 + scalar.Value.Length),
                MappingStart or SequenceStart => Open((NodeEvent)e),
                MappingEnd or SequenceEnd => Close(),
                _ => null,
            };
        }

        private ValidationError? Open(NodeEvent e)
        {
            if (_open.Count >= ManifestLimits.MaxDepth)
                return Error(e, $"nested more than {ManifestLimits.MaxDepth} levels deep; a manifest needs far fewer");
            TakePlace();
            _open.Push(new Node(e.Anchor.IsEmpty ? null : e.Anchor.Value, e is MappingStart));
            return null;
        }

        private ValidationError? Close()
        {
            var node = _open.Pop();
            if (node.Anchor is { } anchor) _anchors[anchor] = node.Size;
            Add(node.Size);
            return null;
        }

        private ValidationError? Leaf(AnchorName anchor, long size)
        {
            TakePlace();
            if (!anchor.IsEmpty) _anchors[anchor.Value] = size;
            Add(size);
            return null;
        }

        private ValidationError? Alias(AnchorAlias alias)
        {
            var name = alias.Value.Value;
            if (_open.TryPeek(out var parent) && parent.IsMapping && parent.Children % 2 == 0)
                return Error(alias, $"an alias (*{name}) cannot be a mapping key; write the key itself");
            if (_open.Any(n => n.Anchor == name))
                return Error(alias, $"the alias *{name} is inside the node it refers to, which would never end");
            // An unknown anchor is the composer's to report; it costs one node here.
            var size = _anchors.GetValueOrDefault(name, 1);
            _expanded += size;
            if (_expanded > ManifestLimits.MaxAliasExpansion)
                return Error(alias, $"aliases expand this file by more than {ManifestLimits.Size(ManifestLimits.MaxAliasExpansion)}; " +
                    "repeat fewer or smaller nodes by alias");
            return Leaf(AnchorName.Empty, size);
        }

        private void TakePlace()
        {
            if (_open.TryPeek(out var parent)) parent.Children++;
        }

        private void Add(long size)
        {
            // Sizes stay below the alias budget plus the file's length, so they cannot overflow.
            if (_open.TryPeek(out var parent)) parent.Size += size;
        }

        private ValidationError Error(ParsingEvent e, string message) => new()
        {
            File = file,
            Line = (int)e.Start.Line,
            Column = (int)e.Start.Column,
            Message = message,
        };

        private static bool IsNull(Scalar s) => s.Style is ScalarStyle.Plain or ScalarStyle.Any && YamlScalars.IsNullText(s.Value);
    }

    private sealed class Node(string? anchor, bool isMapping)
    {
        public string? Anchor => anchor;
        public bool IsMapping => isMapping;
        public long Size { get; set; } = 1;
        public int Children { get; set; }
    }
}
