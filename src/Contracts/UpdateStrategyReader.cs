using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.updateStrategy: maxSurge and maxUnavailable (a whole number or a percentage like "25%"), order
/// (start-first or stop-first), minReadySeconds, progressDeadline (a duration) and onFailure (rollback or pause).
/// </summary>
internal static class UpdateStrategyReader
{
    private static readonly string[] Fields = ["maxSurge", "maxUnavailable", "order", "minReadySeconds", "progressDeadline", "onFailure"];
    private static readonly string[] Orders = ["start-first", "stop-first"];
    private static readonly string[] FailureActions = ["rollback", "pause"];
    private const string AmountAllowed = "a whole number like 1, or a percentage from 0% to 100% like \"25%\"";
    /// <summary>An hour of waiting per replica is beyond any sensible rollout; a larger number is a typo.</summary>
    private const long MaxMinReadySeconds = 3600;

    public static UpdateStrategy? Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return null;
        var strategy = new UpdateStrategy
        {
            MaxSurge = f["maxSurge"] is { } surge ? Amount(surge, f.PathOf("maxSurge"), r) ?? UpdateStrategy.DefaultMaxSurge : UpdateStrategy.DefaultMaxSurge,
            MaxUnavailable = f["maxUnavailable"] is { } unavailable
                ? Amount(unavailable, f.PathOf("maxUnavailable"), r) ?? UpdateStrategy.DefaultMaxUnavailable
                : UpdateStrategy.DefaultMaxUnavailable,
            Order = f["order"] is { } order && r.Word(order, f.PathOf("order"), Orders) == "stop-first" ? UpdateOrder.StopFirst : UpdateOrder.StartFirst,
            MinReadySeconds = f["minReadySeconds"] is { } min ? (int)(r.WholeNumber(min, f.PathOf("minReadySeconds"), 0, MaxMinReadySeconds) ?? 0) : 0,
            ProgressDeadline = f["progressDeadline"] is { } deadline
                ? r.Duration(deadline, f.PathOf("progressDeadline")) ?? UpdateStrategy.DefaultProgressDeadline
                : UpdateStrategy.DefaultProgressDeadline,
            OnFailure = f["onFailure"] is { } onFailure && r.Word(onFailure, f.PathOf("onFailure"), FailureActions) == "rollback"
                ? FailureAction.Rollback : FailureAction.Pause,
        };
        if (IsZero(strategy.MaxSurge) && IsZero(strategy.MaxUnavailable))
            r.Error(f["maxUnavailable"] ?? f["maxSurge"] ?? node, f.PathOf(f["maxUnavailable"] is null ? "maxSurge" : "maxUnavailable"),
                "maxSurge and maxUnavailable cannot both be 0: the rollout could neither start a new replica nor stop an old one");
        return strategy;
    }

    private static bool IsZero(string amount) => UpdateStrategy.TryParseAmount(amount, out var n, out _) && n == 0;

    /// <summary>Canonical "3" or "25%"; an unquoted number is read as a count.</summary>
    private static string? Amount(YamlNode node, string path, ManifestReader r)
    {
        if (r.Text(node, path) is not { } text) return null;
        if (UpdateStrategy.TryParseAmount(text.Trim(), out var amount, out var percent))
            return percent ? $"{amount}%" : amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        r.Error(node, path, $"must be {AmountAllowed}, got {YamlScalars.Quote(text)}");
        return null;
    }
}
