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

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        var ids = await DockerCli.ContainerIdsAsync(Name);
        if (ids.Length > 0) await DockerCli.RunAsync(["rm", "-f", .. ids]);
        Runtime.Dispose();
    }
}
