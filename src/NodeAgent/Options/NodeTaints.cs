using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Options;

/// <summary>The agent's --taints flag: "dedicated=gpu:NoSchedule,maintenance:NoExecute" (kubectl taint's spelling).</summary>
public static class NodeTaints
{
    public static readonly string Allowed =
        $"give key[=value]:effect pairs separated by commas, effect one of {string.Join(", ", Enum.GetNames<TaintEffect>())}, like dedicated=gpu:NoSchedule,maintenance:NoExecute";

    /// <summary>The taints in the order given; throws FormatException naming the bad entry and what is wrong with it.</summary>
    public static List<Taint> Parse(string text)
    {
        var taints = new List<Taint>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0) throw new FormatException($"\"{entry}\" has no :effect");
            var effectText = entry[(colon + 1)..];
            // Case-sensitive, as Kubernetes: "noschedule" is a typo, not a synonym.
            if (!Enum.TryParse<TaintEffect>(effectText, ignoreCase: false, out var effect) || !Enum.IsDefined(effect) || char.IsDigit(effectText[0]))
                throw new FormatException($"\"{entry}\" has effect \"{effectText}\", not one of {string.Join(", ", Enum.GetNames<TaintEffect>())}");
            var pair = entry[..colon];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            if (!Names.IsLabelKey(key)) throw new FormatException($"\"{entry}\" has key \"{key}\", which must be {Names.LabelKeyAllowed}");
            if (!Names.IsLabelValue(value)) throw new FormatException($"\"{entry}\" has value \"{value}\", which must be {Names.LabelValueAllowed}");
            taints.Add(new Taint { Key = key, Value = value, Effect = effect });
        }
        return taints;
    }
}
