using System.Globalization;

namespace Orchestrator.Contracts;

/// <summary>
/// How much one apply may carry. Each limit is far above what a real manifest needs and far below what would hurt
/// the control plane or etcd (docs/security.md, "Input limits"). The CLI checks the same numbers before it sends.
/// </summary>
public static class ManifestLimits
{
    /// <summary>An API request body (an apply carries its files in one): Kestrel refuses more with 413.</summary>
    public const long MaxRequestBytes = 4L << 20;

    /// <summary>One object as stored (JSON); etcd refuses values above 1.5 MiB by default.</summary>
    public const int MaxObjectBytes = 1 << 20;

    /// <summary>Objects in one apply; a bigger change is several applies.</summary>
    public const int MaxObjects = 500;

    /// <summary>Nested mappings and lists; a manifest needs about 8. The YAML composer recurses per level.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// What aliases (*name) may add to a file, counted as one per node plus the characters of each scalar they
    /// repeat. An alias bomb (billion laughs) is small as text and huge once expanded.
    /// </summary>
    public const long MaxAliasExpansion = 1L << 20;

    public const int MaxLabels = 64;
    public const int MaxEnv = 1000;
    public const int MaxEnvValueBytes = 32 << 10;
    public const int MaxPorts = 100;
    /// <summary>Entries of spec.volumes, and of spec.volumeMounts.</summary>
    public const int MaxVolumes = 32;
    public const int MaxCommandItems = 1000;
    public const int MaxCommandItemBytes = 32 << 10;

    /// <summary>The values of one Secret or Config together (decoded), as Kubernetes allows; stored encrypted a secret
    /// grows by a third (base64), which stays under etcd's 1.5 MiB request.</summary>
    public const int MaxDataBytes = 1 << 20;
    /// <summary>Keys of one Secret or Config.</summary>
    public const int MaxDataKeys = 256;
    /// <summary>Templates in one chart (templates/*.yaml).</summary>
    public const int MaxChartTemplates = 100;

    /// <summary>One template, values file or Chart.yaml as text: far above a real one, small enough to parse at once.</summary>
    public const int MaxChartFileBytes = 256 << 10;

    /// <summary>What one template may render to; a loop that multiplies text is stopped here.</summary>
    public const int MaxRenderedBytes = 1 << 20;

    /// <summary>Statements one template may execute (Fluid's MaxSteps): stops endless or huge loops.</summary>
    public const int MaxTemplateSteps = 100_000;

    /// <summary>How deep templates may nest (includes, blocks; Fluid's MaxRecursion).</summary>
    public const int MaxTemplateRecursion = 16;

    /// <summary>--set items and -f files of one install or upgrade.</summary>
    public const int MaxValueOverrides = 100;

    /// <summary>Revisions a release keeps (Helm's --history-max is 10 too); older ones are dropped on the next write.</summary>
    public const int MaxReleaseRevisions = 10;

    /// <summary>Errors sent back for one apply; past this a person fixes the first ones and tries again.</summary>
    public const int MaxErrors = 100;

    /// <summary>"4 MiB", "1 MiB", "512 KiB": limits as a person reads them.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 20 => Scaled(bytes, 1L << 20, "MiB"),
        >= 1L << 10 => Scaled(bytes, 1L << 10, "KiB"),
        _ => $"{bytes} bytes",
    };

    private static string Scaled(long bytes, long unit, string name) =>
        bytes % unit == 0
            ? $"{bytes / unit} {name}"
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)unit:0.0} {name}");
}
