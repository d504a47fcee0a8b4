using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.livenessProbe and spec.readinessProbe in Kubernetes' shape. Exactly one handler (exec, httpGet,
/// tcpSocket); periods, timeouts and thresholds are whole numbers of at least 1, as Kubernetes requires.
/// </summary>
internal static class ProbeReader
{
    private static readonly string[] Handlers = ["exec", "httpGet", "tcpSocket"];
    private static readonly string[] Fields = [.. Handlers, "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"];
    private static readonly string[] ExecFields = ["command"];
    private static readonly string[] HttpGetFields = ["path", "port"];
    private static readonly string[] TcpSocketFields = ["port"];
    private const long MaxPort = 65535;
    /// <summary>An hour between probes, or before the first, is longer than anyone means; a larger number is a typo.</summary>
    private const long MaxSeconds = 3600;
    private static readonly string HandlersAllowed = $"exactly one of {string.Join(", ", Handlers)}";

    private static readonly TextRule HttpPath = new(p => p.StartsWith('/') && !p.Any(char.IsWhiteSpace), "a path starting with '/', without spaces, like \"/healthz\"");

    public static Probe? Read(YamlNode node, string path, bool readiness, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return null;
        var given = Handlers.Where(h => f[h] is not null).ToList();
        if (given.Count == 0) r.Error(node, path, $"required: {HandlersAllowed}");
        foreach (var extra in given.Skip(1))
            r.Error(f[extra]!, f.PathOf(extra), $"only one handler is allowed ({HandlersAllowed}); {given[0]} is already set");
        var probe = new Probe
        {
            Exec = f["exec"] is { } e ? Exec(e, f.PathOf("exec"), r) : null,
            HttpGet = f["httpGet"] is { } h ? HttpGet(h, f.PathOf("httpGet"), r) : null,
            TcpSocket = f["tcpSocket"] is { } t ? TcpSocket(t, f.PathOf("tcpSocket"), r) : null,
            InitialDelaySeconds = Number(f, "initialDelaySeconds", 0, 0, r),
            PeriodSeconds = Number(f, "periodSeconds", 1, 10, r),
            TimeoutSeconds = Number(f, "timeoutSeconds", 1, 1, r),
            FailureThreshold = Number(f, "failureThreshold", 1, 3, r),
            SuccessThreshold = Number(f, "successThreshold", 1, 1, r),
        };
        if (!readiness && f["successThreshold"] is { } success && probe.SuccessThreshold != 1)
            r.Error(success, f.PathOf("successThreshold"), $"must be 1 for a liveness probe (only a readiness probe may ask for more), got {probe.SuccessThreshold}");
        return probe;
    }

    /// <summary>A whole number field with a minimum (seconds, or a count of probes), or its default when absent.</summary>
    private static int Number(FieldSet f, string field, long min, int fallback, ManifestReader r) =>
        f[field] is { } node ? (int)(r.WholeNumber(node, f.PathOf(field), min, MaxSeconds) ?? fallback) : fallback;

    private static ExecAction? Exec(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, ExecFields) is not { } f) return null;
        if (r.Required(f, "command", "a list of strings, like [\"sh\", \"-c\", \"test -f /tmp/healthy\"]") is not { } c) return null;
        if (r.TextList(c, f.PathOf("command")) is not { } command) return null;
        if (command.Count > 0) return new ExecAction { Command = command };
        r.Error(c, f.PathOf("command"), "must name a program to run, got an empty list");
        return null;
    }

    private static HttpGetAction? HttpGet(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, HttpGetFields) is not { } f) return null;
        var port = Port(f, r);
        var httpPath = f["path"] is { } p ? r.Text(p, f.PathOf("path"), HttpPath) : "/";
        return port is null || httpPath is null ? null : new HttpGetAction { Path = httpPath, Port = port.Value };
    }

    private static TcpSocketAction? TcpSocket(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, TcpSocketFields) is not { } f) return null;
        return Port(f, r) is { } port ? new TcpSocketAction { Port = port } : null;
    }

    /// <summary>A container port by number; Kubernetes' named ports are not supported (docs/health.md).</summary>
    private static int? Port(FieldSet f, ManifestReader r) =>
        r.Required(f, "port", $"a port number from 1 to {MaxPort}") is { } node
            ? (int?)r.WholeNumber(node, f.PathOf("port"), 1, MaxPort)
            : null;
}
