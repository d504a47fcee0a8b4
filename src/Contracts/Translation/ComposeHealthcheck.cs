using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A Compose healthcheck as our readinessProbe (an exec probe): a replica counts as ready, for rollouts and status,
/// only while it passes, as Swarm counts a task running only once healthy. test: ["CMD", ...] runs the command,
/// ["CMD-SHELL", "s"] and a plain string run it with sh -c, ["NONE"] and disable: true mean no probe.
/// </summary>
internal static class ComposeHealthcheck
{
    public static readonly KeyTable Keys = KeyTable.Of("compose services.*.healthcheck",
        mapped: ["test", "interval", "timeout", "retries", "start_period", "disable"]);

    public static YamlNode? Translate(YamlNode node, string path, Translator t)
    {
        if (t.Keys(node, path, Keys) is not { } f) return null;
        if (f.GetValueOrDefault("disable").Value is { } disable && t.Reader.Bool(disable, FieldPath.Field(path, "disable")) == true) return null;
        if (f.GetValueOrDefault("test").Value is not { } test)
        {
            t.Reader.Error(node, FieldPath.Field(path, "test"), "required: the check, like [\"CMD\", \"curl\", \"-f\", \"http://localhost\"] or a shell command");
            return null;
        }
        if (Command(test, FieldPath.Field(path, "test"), t) is not { } command) return null;
        if (command.Children.Count == 0) return null;
        var probe = t.Map(node).With("exec", t.Map(test).With("command", command));
        Seconds(f, "interval", "periodSeconds", probe, path, t);
        Seconds(f, "timeout", "timeoutSeconds", probe, path, t);
        Seconds(f, "start_period", "initialDelaySeconds", probe, path, t);
        if (f.GetValueOrDefault("retries").Value is { } retries) probe.With("failureThreshold", retries);
        return probe;
    }

    private static void Seconds(Dictionary<string, (YamlNode Key, YamlNode Value)> f, string field, string ours, YamlMappingNode probe, string path, Translator t)
    {
        if (f.GetValueOrDefault(field).Value is { } value) probe.With(ours, t.Seconds(value, FieldPath.Field(path, field)));
    }

    /// <summary>The command to run, or an empty list for NONE; null after an error.</summary>
    private static YamlSequenceNode? Command(YamlNode test, string path, Translator t)
    {
        var command = t.List(test);
        if (test is YamlScalarNode)
        {
            if (t.Reader.Text(test, path) is not { } shell) return null;
            command.Add(t.Text("sh", test));
            command.Add(t.Text("-c", test));
            command.Add(test);
            return command;
        }
        if (t.Reader.TextList(test, path) is not { Count: > 0 } words)
        {
            if (test is YamlSequenceNode { Children.Count: 0 }) t.Reader.Error(test, path, "must not be empty");
            return null;
        }
        var items = ((YamlSequenceNode)test).Children;
        switch (words[0])
        {
            case "NONE": return command;
            case "CMD" when words.Count > 1:
                foreach (var item in items.Skip(1)) command.Add(item);
                return command;
            case "CMD-SHELL" when words.Count == 2:
                command.Add(t.Text("sh", test));
                command.Add(t.Text("-c", test));
                command.Add(items[1]);
                return command;
        }
        t.Reader.Error(items[0], FieldPath.Index(path, 0), "must start with CMD (then the command and its arguments), CMD-SHELL (then one shell command) or NONE");
        return null;
    }
}
