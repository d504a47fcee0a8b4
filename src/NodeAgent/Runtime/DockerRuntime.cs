using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary><see cref="IContainerRuntime"/> on a real Docker engine through Docker.DotNet.</summary>
public sealed partial class DockerRuntime : IContainerRuntime, IContainerDiagnostics, IContainerExec, IDisposable
{
    /// <summary>dockerd 20.10 speaks 1.41 at most; a newer client version would be refused.</summary>
    public static readonly System.Version ApiVersion = new(1, 41);

    private static readonly string[] WatchedActions = ["die", "destroy", "start", "oom"];

    private readonly DockerClient _client;
    private readonly string _cluster;
    private readonly string _node;

    private readonly ReplicaNetwork _network;

    public DockerRuntime(string endpoint, string cluster, string node, ReplicaNetwork? network = null)
    {
        _network = network ?? ReplicaNetwork.Disabled;
        _client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).WithApiVersion(ApiVersion).Build();
        _cluster = cluster;
        _node = node;
    }

    /// <summary>The label filter that keeps the agent away from every container that is not its cluster's.</summary>
    private Dictionary<string, IDictionary<string, bool>> ClusterFilter() => new()
    {
        ["label"] = new Dictionary<string, bool>
        {
            [$"{ContainerLabels.Managed}=true"] = true,
            [$"{ContainerLabels.Cluster}={_cluster}"] = true,
        },
    };

    /// <summary>
    /// Inspections by container id, each with the state the list reported when it was taken. While a container's
    /// listed state stays the same its inspection stays true, so a reconcile costs one list call, not one call per
    /// container: during a burst of starts that is what keeps the engine free for the creates themselves.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string ListedState, ObservedContainer Observed)> _inspected = new();

    public async Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken ct)
    {
        var listed = await _client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = ClusterFilter() }, ct);
        var observed = new List<ObservedContainer>(listed.Count);
        foreach (var c in listed)
        {
            if (_inspected.TryGetValue(c.ID, out var cached) && cached.ListedState == c.State)
            {
                observed.Add(cached.Observed);
                continue;
            }
            // The list answer lacks exit code and start time; inspect gives both. A container removed
            // between the two calls simply is not observed in this pass.
            try
            {
                var o = Observe(await _client.Containers.InspectContainerAsync(c.ID, ct));
                // Only a settled state is cached: one in motion is looked at again next time.
                if (o.State == c.State && c.State is "running" or "exited" or "created") _inspected[c.ID] = (c.State, o);
                observed.Add(o);
            }
            catch (DockerContainerNotFoundException) { }
        }
        var present = listed.Select(c => c.ID).ToHashSet();
        foreach (var gone in _inspected.Keys.Where(id => !present.Contains(id))) _inspected.TryRemove(gone, out _);
        return observed;
    }

    private static ObservedContainer Observe(ContainerInspectResponse c) => new()
    {
        Id = c.ID,
        Name = c.Name.TrimStart('/'),
        Labels = new Dictionary<string, string>(c.Config?.Labels ?? new Dictionary<string, string>()),
        State = c.State?.Status ?? "",
        ExitCode = c.State is { Running: false } s ? (int)s.ExitCode : null,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
        StartedAt = ParseTime(c.State?.StartedAt),
        Ports = HostPorts(c.NetworkSettings?.Ports),
        Published = Published(c.NetworkSettings?.Ports),
        Address = Address(c),
    };

    /// <summary>The address probes use: 127.0.0.1 on the host network, else the IP on its network (the bridge unless told otherwise).</summary>
    private static string? Address(ContainerInspectResponse c)
    {
        if (c.HostConfig?.NetworkMode == "host") return "127.0.0.1";
        return c.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
    }

    /// <summary>Docker writes 0001-01-01T00:00:00Z for "never started".</summary>
    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;

    /// <summary>
    /// "8080/tcp" -> [{HostIp 0.0.0.0, HostPort 32768}, {HostIp ::, HostPort 32769}] becomes one binding per container port.
    /// dockerd 20.10 binds IPv4 and IPv6 separately and, for a dynamic port, may pick a different port for each;
    /// the IPv4 one is reported because node addresses are IPv4.
    /// </summary>
    private static List<Contracts.PortBinding> HostPorts(IDictionary<string, IList<Docker.DotNet.Models.PortBinding>>? ports)
    {
        var bindings = new List<Contracts.PortBinding>();
        if (ports is null) return bindings;
        foreach (var (key, hostBindings) in ports)
        {
            var chosen = hostBindings?
                .Where(b => int.TryParse(b.HostPort, CultureInfo.InvariantCulture, out _))
                .OrderBy(b => (b.HostIP ?? "").Contains(':'))
                .FirstOrDefault();
            if (chosen is null) continue;
            var slash = key.IndexOf('/');
            bindings.Add(new()
            {
                ContainerPort = int.Parse(slash < 0 ? key : key[..slash], CultureInfo.InvariantCulture),
                HostPort = int.Parse(chosen.HostPort, CultureInfo.InvariantCulture),
                HostIp = chosen.HostIP ?? "",
                Protocol = slash < 0 ? "tcp" : key[(slash + 1)..],
            });
        }
        return bindings.OrderBy(b => b.ContainerPort).ToList();
    }

    /// <summary>Every bound host port of every container port, "8080/tcp" -> [32768/tcp, 32769/tcp].</summary>
    private static List<ListeningPort> Published(IDictionary<string, IList<Docker.DotNet.Models.PortBinding>>? ports) =>
        ports is null ? [] : ports
            .SelectMany(p => (p.Value ?? []).Select(b => (Key: p.Key, b.HostPort)))
            .Where(p => int.TryParse(p.HostPort, CultureInfo.InvariantCulture, out _))
            .Select(p => new ListeningPort
            {
                Port = int.Parse(p.HostPort, CultureInfo.InvariantCulture),
                Protocol = p.Key.IndexOf('/') is var slash and >= 0 ? p.Key[(slash + 1)..] : "tcp",
            })
            .Distinct().ToList();

    public Task<string> CreateAndStartAsync(Replica replica, CancellationToken ct) => CreateAndStartAsync(replica, ReplicaInputs.None, ct);

    public async Task<string> CreateAndStartAsync(Replica replica, ReplicaInputs inputs, CancellationToken ct)
    {
        if (replica.Container.SecurityContext is { RunAsNonRoot: true } security)
        {
            // Only the image knows its USER; a uid in the manifest makes asking unnecessary.
            var imageUser = security.RunAsUser is null ? (await _client.Images.InspectImageAsync(replica.Container.Image, ct)).Config?.User : null;
            if (ContainerSecurity.NonRootRefusal(replica.Container, imageUser) is { } refusal)
                throw new ContainerRefusedException(refusal);
        }
        await RefuseForeignVolumesAsync(replica, ct);
        var network = await _network.ForNewReplicaAsync(ct);
        var created = await _client.Containers.CreateContainerAsync(CreateParameters(replica, network, inputs), ct);
        await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
        return created.ID;
    }

    private CreateContainerParameters CreateParameters(Replica replica, string? network, ReplicaInputs inputs)
    {
        var spec = replica.Container;
        var exposed = new Dictionary<string, EmptyStruct>();
        var bindings = new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>>();
        foreach (var p in spec.Ports)
        {
            var key = $"{p.ContainerPort}/{p.Protocol}";
            exposed[key] = default;
            // An empty HostPort lets the engine pick a free one (the replica's dynamic port).
            bindings[key] = [new Docker.DotNet.Models.PortBinding { HostIP = "", HostPort = p.HostPort?.ToString(CultureInfo.InvariantCulture) ?? "" }];
        }
        var create = new CreateContainerParameters
        {
            Name = replica.ContainerName,
            Image = spec.Image,
            // null leaves the image's own entrypoint and cmd in place (Docker.DotNet's models are not annotated).
            Entrypoint = spec.Command!,
            Cmd = spec.Args!,
            Env = spec.Env.Concat(inputs.Env).Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = Labels(replica, _cluster, _node),
            ExposedPorts = exposed,
            // Every stop, also `docker stop` by hand, gives the process its signal and grace (spec.stopSignal,
            // spec.stopGracePeriod); unset, the image's STOPSIGNAL and the engine's 10 s apply.
            StopSignal = spec.StopSignal!,
            StopTimeout = spec.StopGracePeriod is null ? null : spec.StopGraceTime,
            HostConfig = new HostConfig
            {
                Memory = spec.MemoryBytes > 0 ? spec.MemoryBytes : 0,
                NanoCPUs = spec.MilliCpu > 0 ? spec.MilliCpu * 1_000_000 : 0,
                PortBindings = bindings,
                // The cluster network's bridge (host-gw), or the engine's default bridge.
                NetworkMode = network!,
                // On the cluster network the engine's embedded DNS forwards what it does not know to the agent's (docs/networking.md).
                DNS = network is not null && _network.Resolver is { } resolver ? [resolver] : null!,
                // No engine restart policy: the agent restarts, counts restarts and reports them.
                RestartPolicy = new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No },
                // Volumes, and the secret and config files: the agent's tmpfs folder of this replica, bound in (docs/volumes.md, docs/secrets.md).
                Mounts = ReplicaMounts.For(replica, _cluster, _node, inputs.Mounts),
            },
        };
        ContainerSecurity.Apply(spec, create);
        return create;
    }

    /// <summary>The labels every container of a replica carries: what the agent finds its own containers by, and what they run.</summary>
    public static Dictionary<string, string> Labels(Replica replica, string cluster, string node) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Cluster] = cluster,
        [ContainerLabels.ReplicaId] = replica.Id,
        [ContainerLabels.Namespace] = replica.Namespace,
        [ContainerLabels.Service] = replica.Service,
        [ContainerLabels.Slot] = replica.Slot.ToString(CultureInfo.InvariantCulture),
        [ContainerLabels.SpecHash] = replica.SpecHash,
        [ContainerLabels.Node] = node,
    };

    public Task StartAsync(string containerId, CancellationToken ct)
    {
        // It may exit again before the next list, still listed "exited" but with a new exit code and start time.
        _inspected.TryRemove(containerId, out _);
        return _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), ct);
    }

    /// <summary>Stop signal, <paramref name="timeout"/> (null: the container's own stop timeout) until SIGKILL, then removal.</summary>
    public async Task StopAndRemoveAsync(string containerId, TimeSpan? timeout, CancellationToken ct)
    {
        try
        {
            await _client.Containers.StopContainerAsync(containerId,
                new ContainerStopParameters { WaitBeforeKillSeconds = timeout is { } t ? (uint)Math.Max(0, t.TotalSeconds) : null }, ct);
            // RemoveVolumes: an emptyDir (an anonymous volume) goes with its replica; named volumes stay.
            await _client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct);
        }
        catch (DockerContainerNotFoundException) { }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // "removal already in progress": someone else is removing it, which is what we want.
        }
    }

    public async Task StopAsync(string containerId, TimeSpan timeout, CancellationToken ct)
    {
        _inspected.TryRemove(containerId, out _);
        await _client.Containers.StopContainerAsync(containerId,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, timeout.TotalSeconds) }, ct);
    }

    public async Task<long> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct)
    {
        var exec = await _client.Exec.CreateContainerExecAsync(containerId,
            new ContainerExecCreateParameters { Cmd = command.ToList(), AttachStdout = true, AttachStderr = true }, ct);
        using (var output = await _client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), ct))
        {
            // The stream ends when the command does; its output is not kept, only the exit code counts.
            await output.CopyOutputToAsync(Stream.Null, Stream.Null, Stream.Null, ct);
        }
        // The engine may mark the exec finished a moment after the stream closes.
        while (true)
        {
            var inspect = await _client.Exec.InspectContainerExecAsync(exec.ID, ct);
            if (!inspect.Running) return inspect.ExitCode ?? -1;
            await Task.Delay(10, ct);
        }
    }

    public async IAsyncEnumerable<ContainerEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var filters = ClusterFilter();
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        filters["event"] = WatchedActions.ToDictionary(a => a, _ => true);
        var channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
        var monitor = _client.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, new ChannelProgress(channel.Writer), ct);
        _ = monitor.ContinueWith(t => channel.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
        await foreach (var m in channel.Reader.ReadAllAsync(ct))
        {
            string? replica = null;
            m.Actor?.Attributes?.TryGetValue(ContainerLabels.ReplicaId, out replica);
            // Whatever happened to it, its cached inspection is no longer the truth.
            if (m.Actor?.ID is { } changed) _inspected.TryRemove(changed, out _);
            yield return new ContainerEvent(m.Action, m.Actor?.ID ?? "", replica, DateTimeOffset.FromUnixTimeMilliseconds((m.TimeNano ?? 0) / 1_000_000));
        }
    }

    /// <summary>Hands each engine message to the channel synchronously, keeping their order (Progress&lt;T&gt; would post them).</summary>
    private sealed class ChannelProgress(ChannelWriter<Message> writer) : IProgress<Message>
    {
        public void Report(Message value) => writer.TryWrite(value);
    }

    public void Dispose() => _client.Dispose();
}
