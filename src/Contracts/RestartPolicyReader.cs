using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.restartPolicy: the short form (<c>restartPolicy: on-failure</c>) or the long one with condition,
/// maxAttempts, delay and maxDelay. Conditions are the words of Docker and Kubernetes: always, on-failure, never.
/// </summary>
internal static class RestartPolicyReader
{
    private static readonly string[] Fields = ["condition", "maxAttempts", "delay", "maxDelay"];
    private static readonly string[] Conditions = ["always", "on-failure", "never"];
    private static readonly string ConditionsAllowed = $"one of {string.Join(", ", Conditions)}";

    public static RestartPolicy? Read(YamlNode node, string path, ManifestReader r)
    {
        if (node is YamlScalarNode)
            return Condition(node, path, r) is { } condition ? new RestartPolicy { Condition = condition } : null;
        if (node is not YamlMappingNode)
        {
            r.Error(node, path, $"must be {ConditionsAllowed}, or a mapping with fields {string.Join(", ", Fields)}, got {YamlScalars.Describe(node)}");
            return null;
        }
        if (r.Fields(node, path, Fields) is not { } f) return null;
        var policy = new RestartPolicy
        {
            Condition = f["condition"] is { } c ? Condition(c, f.PathOf("condition"), r) ?? RestartCondition.Always : RestartCondition.Always,
            MaxAttempts = f["maxAttempts"] is { } m ? (int)(r.WholeNumber(m, f.PathOf("maxAttempts"), 0, int.MaxValue) ?? 0) : 0,
            Delay = f["delay"] is { } d ? r.Duration(d, f.PathOf("delay")) ?? RestartPolicy.DefaultDelay : RestartPolicy.DefaultDelay,
            MaxDelay = f["maxDelay"] is { } x ? r.Duration(x, f.PathOf("maxDelay")) ?? RestartPolicy.DefaultMaxDelay : RestartPolicy.DefaultMaxDelay,
        };
        if (f["maxAttempts"] is { } attempts && policy.Condition != RestartCondition.OnFailure && policy.MaxAttempts > 0)
            r.Error(attempts, f.PathOf("maxAttempts"), $"applies only to condition on-failure, not {RestartPolicy.Word(policy.Condition)}");
        if (f["maxDelay"] is { } max && policy.MaxDelayTime < policy.DelayTime)
            r.Error(max, f.PathOf("maxDelay"), $"must be at least delay ({policy.Delay}), got {YamlScalars.Quote(policy.MaxDelay)}");
        return policy;
    }

    private static RestartCondition? Condition(YamlNode node, string path, ManifestReader r)
    {
        if (r.Text(node, path) is not { } text) return null;
        switch (text)
        {
            case "always": return RestartCondition.Always;
            case "on-failure": return RestartCondition.OnFailure;
            case "never": return RestartCondition.Never;
        }
        r.Error(node, path, $"must be {ConditionsAllowed}, got {YamlScalars.Quote(text)}{DidYouMean.Hint(text, Conditions)}");
        return null;
    }
}
