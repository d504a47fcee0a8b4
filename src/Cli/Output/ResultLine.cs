using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>kubectl's one line per object: "service/web created", "service/web unchanged (dry run)".</summary>
public static class ResultLine
{
    public static string Of(ApplyResult result, bool dryRun) =>
        $"{result.Kind.ToLowerInvariant()}/{result.Name} {result.Action}{(dryRun ? " (dry run)" : "")}";

    public static void WriteAll(TextWriter output, ApplyResponse response)
    {
        foreach (var result in response.Results) output.WriteLine(Of(result, response.DryRun));
    }
}
