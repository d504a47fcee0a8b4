using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// A cluster name of its own on the real engine for one test, so tests never see or touch other containers;
/// everything labelled with it is removed at the end, whether the test passed or not.
/// </summary>
public sealed class DockerCluster : IAsyncLifetime, IAsyncDisposable
{
    public const string Endpoint = "unix:///var/run/docker.sock";

    public string Name { get; } = "nodeagent-test-" + Guid.NewGuid().ToString("N")[..12];
    public DockerRuntime Runtime { get; }

    /// <summary>
    /// A replica id no other test uses: container names (service.slot.id) are global to the engine,
    /// so two test classes running at once must not pick the same one.
    /// </summary>
    public static string UniqueId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    public DockerCluster() => Runtime = new DockerRuntime(Endpoint, Name, "n1");

    /// <summary>Once per test process: containers of test clusters that a killed run left behind.</summary>
    private static readonly Lazy<Task> StaleRemoved = new(RemoveStaleAsync);

    /// <summary>Older than any test runs, so that a parallel test run's containers are left alone.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    public Task InitializeAsync() => StaleRemoved.Value;

    /// <summary>The CLI's CreatedAt, "2026-11-28 19:30:01 +0000 UTC", split at the spaces.</summary>
    public static DateTimeOffset? Created(string date, string time, string offset) =>
        offset.Length == 5 && DateTimeOffset.TryParseExact($"{date} {time} {offset[..3]}:{offset[3..]}", "yyyy-MM-dd HH:mm:ss zzz",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;

    private static async Task RemoveStaleAsync()
    {
        var lines = (await DockerCli.RunAsync("ps", "-a", "--no-trunc", "--filter", "label=orchestrator.managed=true",
            "--format", "{{.ID}} {{.Label \"orchestrator.cluster\"}} {{.CreatedAt}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var stale = new List<string>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts.Length >= 5 && parts[1].StartsWith("nodeagent-test-", StringComparison.Ordinal)
                && Created(parts[2], parts[3], parts[4]) is { } created && DateTimeOffset.UtcNow - created > StaleAfter)
                stale.Add(parts[0]);
        }
        if (stale.Count > 0) await DockerCli.RunAsync(["rm", "-f", .. stale]);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        var ids = await DockerCli.ContainerIdsAsync(Name);
        if (ids.Length > 0) await DockerCli.RunAsync(["rm", "-f", .. ids]);
        var volumes = (await DockerCli.RunAsync("volume", "ls", "-q", "--filter", $"label=orchestrator.cluster={Name}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (volumes.Length > 0) await DockerCli.RunAsync(["volume", "rm", "-f", .. volumes]);
        Runtime.Dispose();
    }
}
