using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>kubectl's one line per object: "service/web created", "service/web unchanged (dry run)".</summary>
public static class ResultLine
{
    public static string Of(ApplyResult result, bool dryRun) =>
        $"{result.Kind.ToLowerInvariant()}/{result.Name} {result.Action}{(dryRun ? " (dry run)" : "")}";

    public static void WriteAll(TextWriter output, ApplyResponse response)
    {
        foreach (var result in response.Results)
        {
            output.WriteLine(Of(result, response.DryRun));
            // A dry run says what the apply would do: "scale 3 -> 5", "3 replica(s) will be replaced by a rolling update".
            foreach (var effect in result.Effects ?? []) output.WriteLine($"  {effect}");
        }
    }
}
