using System.CommandLine;
using System.Text.Json;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc get services|replicas|nodes [NAME]` (every name kubectl users type for them, and `TYPE/NAME`). Lists show every
/// namespace unless -n narrows them (the API's own default); a named object is looked up in -n, else "default".
/// </summary>
public sealed class GetCommand(CliContext context)
{
    private static readonly ObjectPrinter<ServiceView> ServicePrinter = new(
        ResourceType.Services.Singular, v => v.Service.Metadata.Name, ServiceTable.Of,
        ManifestOutput.Json, (items, _, showStatus) => ManifestOutput.Yaml(items, showStatus));

    private static readonly ObjectPrinter<ReplicaView> ReplicaPrinter = new(
        ResourceType.Replicas.Singular, v => v.Replica.ContainerName, ReplicaTable.Of, (v, _) => ApiDocument(v));

    private static readonly ObjectPrinter<NodeInfo> NodePrinter = new(
        ResourceType.Nodes.Singular, n => n.Name, NodeTable.Of, (n, _) => ApiDocument(n));

    private static readonly ObjectPrinter<DataObjectView> SecretPrinter = new(
        ResourceType.Secrets.Singular, o => o.Metadata.Name, DataObjectTable.Of, (o, _) => ApiDocument(o));

    private static readonly ObjectPrinter<DataObjectView> ConfigPrinter = new(
        ResourceType.Configs.Singular, o => o.Metadata.Name, DataObjectTable.Of, (o, _) => ApiDocument(o));

    private static readonly ObjectPrinter<VolumeView> VolumePrinter = new(
        ResourceType.Volumes.Singular, v => v.Name, VolumeTable.Of, (v, _) => ApiDocument(v));
    private static readonly ObjectPrinter<ServiceEndpoints> EndpointsPrinter = new(
        ResourceType.Endpoints.Singular, e => e.Name, EndpointsTable.Of, (e, _) => ApiDocument(e));

    public Command Build() => new("get", "List objects, or show one by name (TYPE NAME or TYPE/NAME)")
    {
        Services(), Replicas(), Nodes(),
        DataObjects(ResourceType.Secrets, "Secrets: their keys and sizes (values are never shown)", SecretPrinter,
            (api, ns, ct) => api.ListSecretsAsync(ns, ct), (api, ns, name, ct) => api.GetSecretAsync(ns, name, ct)),
        DataObjects(ResourceType.Configs, "Configs: their keys and sizes", ConfigPrinter,
            (api, ns, ct) => api.ListConfigsAsync(ns, ct),
            async (api, ns, name, ct) => (await api.GetConfigAsync(ns, name, ct)).View()),
        Volumes(),
        Endpoints(),
    };

    /// <summary>The options every `get` takes.</summary>
    private sealed record Common(Argument<string?> Name, Option<string> Output, Option<string?> Selector, Option<bool> AllNamespaces)
    {
        public static Common For(Command command, string kind)
        {
            var common = new Common(OptionalName(kind), OutputFormat.Option(), SelectorOption(), CommonOptions.AllNamespaces());
            command.Add(common.Name);
            command.Add(common.Output);
            command.Add(common.Selector);
            command.Add(common.AllNamespaces);
            return common;
        }

        public LabelSelector SelectorOf(ParseResult parse) =>
            parse.GetValue(Selector) is { } text && LabelSelector.TryParse(text, out var selector, out _) ? selector : LabelSelector.Everything;
    }

    private Command Services()
    {
        var command = ResourceType.Services.Command(ResourceType.Services.Plural, "Services and how many of their replicas run");
        var common = Common.For(command, "service");
        var ns = CommonOptions.NamespaceFilter();
        var showStatus = new Option<bool>("--show-status") { Description = "With -o json|yaml: add the status (such output is for reading; apply refuses a status)" };
        var watch = WatchOption();
        command.Add(ns);
        command.Add(showStatus);
        command.Add(watch);
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var serviceName = parse.GetValue(common.Name);
            if (parse.GetValue(watch))
            {
                var nsName = serviceName is null ? (parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns)) : NamespaceOfNamed(parse, common, ns);
                var watched = common.SelectorOf(parse);
                return await WatchAsync(api, ObjectWatchKinds.Services, nsName, serviceName, parse.GetValue(common.Output)!,
                    e => e.Services.Where(s => watched.Matches(s.Service.Metadata.Labels)).ToList(), ServicePrinter, ct);
            }
            List<ServiceView> services;
            if (serviceName is null)
                services = await api.ListServicesAsync(parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns), ct);
            else
            {
                var detail = await api.GetServiceAsync(NamespaceOfNamed(parse, common, ns), serviceName, ct);
                services = [new ServiceView { Service = detail.Service, Status = detail.Status }];
            }
            var selector = common.SelectorOf(parse);
            services = services.Where(s => selector.Matches(s.Service.Metadata.Labels)).ToList();
            ServicePrinter.Print(context.Out, context.Err, parse.GetValue(common.Output)!, services, serviceName is not null, parse.GetValue(showStatus), context.Now);
            return 0;
        });
        return command;
    }

    private Command Replicas()
    {
        var command = ResourceType.Replicas.Command(ResourceType.Replicas.Plural, "Placed copies of services: on which node, in which state");
        var common = Common.For(command, "replica (web.1.abc12 or its id)");
        var ns = CommonOptions.NamespaceFilter();
        var service = new Option<string?>("--service") { Description = "Only the replicas of this service (in every namespace unless -n says which)" };
        var node = new Option<string?>("--node") { Description = "Only the replicas placed on this node" };
        var watch = WatchOption();
        command.Add(ns);
        command.Add(service);
        command.Add(node);
        command.Add(watch);
        command.SetAction(async (parse, ct) =>
        {
            var replicaName = parse.GetValue(common.Name);
            if (parse.GetValue(watch))
            {
                // The watch answers per service; a service filter names one, so it needs its namespace.
                var nsName = parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns) ?? (parse.GetValue(service) is null ? null : CommonOptions.DefaultNamespace);
                var (watched, nodeName) = (common.SelectorOf(parse), parse.GetValue(node));
                return await WatchAsync(context.Api(parse), ObjectWatchKinds.Replicas, nsName, parse.GetValue(service), parse.GetValue(common.Output)!,
                    e => e.Replicas.Where(r => watched.Matches(r.Replica.Labels) && (nodeName is null || r.Replica.Node == nodeName)
                        && (replicaName is null || r.Replica.ContainerName == replicaName || r.Replica.Id == replicaName)).ToList(), ReplicaPrinter, ct);
            }
            // The API has no single-replica path: a named replica is found in its namespace's list.
            var nsFilter = replicaName is null ? (parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns)) : NamespaceOfNamed(parse, common, ns);
            var replicas = await context.Api(parse).ListReplicasAsync(nsFilter, parse.GetValue(service), ct, parse.GetValue(node));
            if (replicaName is not null)
            {
                replicas = replicas.Where(r => r.Replica.ContainerName == replicaName || r.Replica.Id == replicaName).ToList();
                if (replicas.Count == 0) throw new CliException($"replica \"{nsFilter}/{replicaName}\" not found");
            }
            var selector = common.SelectorOf(parse);
            replicas = replicas.Where(r => selector.Matches(r.Replica.Labels)).ToList();
            ReplicaPrinter.Print(context.Out, context.Err, parse.GetValue(common.Output)!, replicas, replicaName is not null, false, context.Now);
            return 0;
        });
        return command;
    }

    private Command Nodes()
    {
        var command = ResourceType.Nodes.Command(ResourceType.Nodes.Plural, "Machines, their capacity and when they last reported");
        // -A is accepted because hands type it everywhere; nodes belong to no namespace, so it changes nothing.
        var common = Common.For(command, "node");
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var nodeName = parse.GetValue(common.Name);
            var nodes = nodeName is null ? await api.ListNodesAsync(ct) : [await api.GetNodeAsync(nodeName, ct)];
            var selector = common.SelectorOf(parse);
            nodes = nodes.Where(n => selector.Matches(n.Labels)).ToList();
            NodePrinter.Print(context.Out, context.Err, parse.GetValue(common.Output)!, nodes, nodeName is not null, false, context.Now);
            return 0;
        });
        return command;
    }

    /// <summary>`get volumes [NAME]`: every node's report (asked at once), with the volumes on nodes that did not answer from their records.</summary>
    private Command Volumes()
    {
        var command = ResourceType.Volumes.Command(ResourceType.Volumes.Plural, "Persistent and shared volumes: service, slot, node, size on disk, in use by");
        var common = Common.For(command, "volume");
        var ns = CommonOptions.NamespaceFilter();
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(common.Name);
            var list = await context.Api(parse).ListVolumesAsync(parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns), ct);
            var volumes = list.Volumes.Where(v => name is null || v.Name == name).ToList();
            if (name is not null && volumes.Count == 0) throw new CliException($"volume \"{name}\" not found");
            VolumePrinter.Print(context.Out, context.Err, parse.GetValue(common.Output)!, volumes, false, false, context.Now);
            foreach (var u in list.Unreachable) context.Err.WriteLine($"warning: no volume report from node {u.Node}: {u.Error}; its volumes are listed from their records");
            return 0;
        });
        return command;
    }

    private Command Endpoints()
    {
        var command = ResourceType.Endpoints.Command(ResourceType.Endpoints.Plural, "Services' virtual IPs and the ready replicas they balance to");
        var common = Common.For(command, "service");
        var ns = CommonOptions.NamespaceFilter();
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var serviceName = parse.GetValue(common.Name);
            var nsName = serviceName is null ? (parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns)) : NamespaceOfNamed(parse, common, ns);
            var endpoints = await api.ListEndpointsAsync(nsName, serviceName, ct);
            EndpointsPrinter.Print(context.Out, context.Err, parse.GetValue(common.Output)!, endpoints, serviceName is not null, false, context.Now);
            return 0;
        });
        return command;
    }

    /// <summary>`get secrets|configs [NAME]`: a list, or one by name in -n (else "default").</summary>
    private Command DataObjects(ResourceType type, string description, ObjectPrinter<DataObjectView> printer,
        Func<OrcApi, string?, CancellationToken, Task<List<DataObjectView>>> list,
        Func<OrcApi, string, string, CancellationToken, Task<DataObjectView>> get)
    {
        var command = type.Command(type.Plural, description);
        var common = Common.For(command, type.Singular);
        var ns = CommonOptions.NamespaceFilter();
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var name = parse.GetValue(common.Name);
            var items = name is null
                ? await list(api, parse.GetValue(common.AllNamespaces) ? null : parse.GetValue(ns), ct)
                : [await get(api, NamespaceOfNamed(parse, common, ns), name, ct)];
            var selector = common.SelectorOf(parse);
            items = items.Where(o => selector.Matches(o.Metadata.Labels)).ToList();
            printer.Print(context.Out, context.Err, parse.GetValue(common.Output)!, items, name is not null, false, context.Now);
            return 0;
        });
        return command;
    }

    private static Option<bool> WatchOption() => new("--watch", "-w")
    {
        Description = "After the list, print each object again whenever it changes (from the API's watch), until interrupted",
    };

    /// <summary>kubectl get -w: the list, then one line per change (the header once); Ctrl-C ends it with exit 0.</summary>
    private Task<int> WatchAsync<T>(OrcApi api, string kind, string? ns, string? service, string format,
        Func<ObjectWatchEvent, List<T>> pick, ObjectPrinter<T> printer, CancellationToken ct)
    {
        var first = true;
        return Following.UntilInterruptedAsync(async () =>
        {
            await api.WatchAsync(kind, ns, service, e =>
            {
                var items = pick(e);
                foreach (var gone in e.Gone) context.Out.WriteLine($"{printer.Kind}/{gone} deleted");
                if (items.Count == 0 && !first) return;
                var text = new StringWriter();
                printer.Print(text, context.Err, format, items, single: false, showStatus: false, context.Now);
                var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                // The header once, as kubectl get -w prints it; only a table has one.
                var isTable = format is OutputFormat.Table or OutputFormat.Wide || format.StartsWith(OutputFormat.CustomColumns, StringComparison.Ordinal);
                foreach (var line in first || !isTable ? lines : lines.Skip(1)) context.Out.WriteLine(line);
                context.Out.Flush();
                first = false;
            }, ct);
            return 0;
        }, ct);
    }

    /// <summary>A name is looked up in one namespace; across all of them it could mean several objects (kubectl refuses too).</summary>
    private static string NamespaceOfNamed(ParseResult parse, Common common, Option<string?> ns) =>
        parse.GetValue(common.AllNamespaces)
            ? throw new CliException("a name is looked up in one namespace: use -n NAMESPACE instead of -A")
            : parse.GetValue(ns) ?? CommonOptions.DefaultNamespace;

    private static Argument<string?> OptionalName(string kind) => new("NAME")
    {
        Description = $"Name of one {kind}; all when left out",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static Option<string?> SelectorOption()
    {
        var option = new Option<string?>("--selector", "-l") { Description = $"Only objects whose labels match: {LabelSelector.Allowed}" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !LabelSelector.TryParse(text, out _, out var error)) result.AddError(error);
        });
        return option;
    }

    private static JsonElement ApiDocument<T>(T value) => JsonSerializer.SerializeToElement(value, Json.Options);
}
