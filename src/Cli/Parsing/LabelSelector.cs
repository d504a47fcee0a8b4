namespace Orchestrator.Orc.Parsing;

/// <summary>
/// kubectl's equality-based label selector, `-l app=web,tier!=cache,canary,!legacy`: every requirement must hold.
/// A key that is absent is "not equal" to any value, as in Kubernetes.
/// </summary>
public sealed class LabelSelector
{
    private enum Test { Equals, NotEquals, Exists, Absent }

    private sealed record Requirement(string Key, Test Test, string Value);

    private readonly IReadOnlyList<Requirement> requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => this.requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public const string Allowed = "comma-separated key=value, key!=value, key or !key, like app=web,tier!=cache";

    public static bool TryParse(string text, out LabelSelector selector, out string error)
    {
        (selector, error) = (Everything, "");
        var parsed = new List<Requirement>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            Requirement? requirement = part switch
            {
                _ when part.Contains("!=") => Pair(part, "!=", Test.NotEquals),
                _ when part.Contains("==") => Pair(part, "==", Test.Equals),
                _ when part.Contains('=') => Pair(part, "=", Test.Equals),
                ['!', .. var key] => new Requirement(key.Trim(), Test.Absent, ""),
                _ => new Requirement(part, Test.Exists, ""),
            };
            if (requirement is null || requirement.Key.Length == 0 || requirement.Key.Any(c => char.IsWhiteSpace(c) || c is '=' or '!')
                || requirement.Value.Any(c => char.IsWhiteSpace(c) || c is '=' or '!'))
            {
                error = $"the selector \"{text}\" has a bad part \"{part}\"; a selector is {Allowed}";
                return false;
            }
            parsed.Add(requirement);
        }
        selector = new LabelSelector(parsed);
        return true;
    }

    private static Requirement? Pair(string part, string op, Test test)
    {
        var at = part.IndexOf(op, StringComparison.Ordinal);
        return new Requirement(part[..at].Trim(), test, part[(at + op.Length)..].Trim());
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(r => r.Test switch
    {
        Test.Equals => labels.TryGetValue(r.Key, out var v) && v == r.Value,
        Test.NotEquals => !labels.TryGetValue(r.Key, out var v) || v != r.Value,
        Test.Exists => labels.ContainsKey(r.Key),
        _ => !labels.ContainsKey(r.Key),
    });
}
