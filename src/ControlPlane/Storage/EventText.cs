namespace Orchestrator.ControlPlane.Storage;

/// <summary>How an event names many things: the first few, then how many more, so that placing 1,000 replicas is one
/// event of a few hundred bytes (a 40 KB event per 1,000 placed cost a write and a watch event of that size).</summary>
public static class EventText
{
    /// <summary>How many names an event lists before "and N more".</summary>
    public const int NamesListed = 20;

    public static string Names(IReadOnlyCollection<string> names) =>
        names.Count <= NamesListed
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(NamesListed)) + $" and {names.Count - NamesListed} more";
}
