using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc get services|nodes|replicas [NAME]`. Lists show every namespace unless -n narrows them (the API's own default);
/// a named object is looked up in -n, else "default".
/// </summary>
public sealed class GetCommand(CliContext context)
{
    public Command Build() => new("get", "List objects, or show one by name")
    {
        Services(), Nodes(), Replicas(),
    };

    private Command Services()
    {
        var (name, ns, all, output) = (OptionalName("service"), CommonOptions.NamespaceFilter(), CommonOptions.AllNamespaces(), OutputFormat.Option());
        var command = new Command("services", "Services and how many of their replicas run") { name, ns, all, output };
        command.Aliases.Add("service");
        command.Aliases.Add("svc");
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var serviceName = parse.GetValue(name);
            List<ServiceView> services;
            if (serviceName is null)
                services = await api.ListServicesAsync(parse.GetValue(all) ? null : parse.GetValue(ns), ct);
            else
            {
                var detail = await api.GetServiceAsync(parse.GetValue(ns) ?? CommonOptions.DefaultNamespace, serviceName, ct);
                services = [new ServiceView { Service = detail.Service, Status = detail.Status }];
            }
            return Print(parse.GetValue(output)!, services, serviceName is not null, (wide, now) => ServiceTable.Of(services, wide, now));
        });
        return command;
    }

    private Command Nodes()
    {
        var (name, output) = (OptionalName("node"), OutputFormat.Option());
        var command = new Command("nodes", "Machines, their capacity and when they last reported") { name, output };
        command.Aliases.Add("node");
        command.Aliases.Add("no");
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var nodeName = parse.GetValue(name);
            var nodes = nodeName is null ? await api.ListNodesAsync(ct) : [await api.GetNodeAsync(nodeName, ct)];
            return Print(parse.GetValue(output)!, nodes, nodeName is not null, (wide, now) => NodeTable.Of(nodes, wide, now));
        });
        return command;
    }

    private Command Replicas()
    {
        var (name, ns, all, output) = (OptionalName("replica (web.1.abc12 or its id)"), CommonOptions.NamespaceFilter(),
            CommonOptions.AllNamespaces(), OutputFormat.Option());
        var service = new Option<string?>("--service") { Description = "Only the replicas of this service" };
        var command = new Command("replicas", "Placed copies of services: on which node, in which state") { name, ns, all, service, output };
        command.Aliases.Add("replica");
        command.Aliases.Add("rep");
        command.SetAction(async (parse, ct) =>
        {
            var replicaName = parse.GetValue(name);
            // The API has no single-replica path: a named replica is found in its namespace's list.
            var nsFilter = parse.GetValue(all) ? null : parse.GetValue(ns) ?? (replicaName is null ? null : CommonOptions.DefaultNamespace);
            var replicas = await context.Api(parse).ListReplicasAsync(nsFilter, parse.GetValue(service), ct);
            if (replicaName is not null)
            {
                replicas = replicas.Where(r => r.Replica.ContainerName == replicaName || r.Replica.Id == replicaName).ToList();
                if (replicas.Count == 0) throw new CliException($"replica \"{nsFilter ?? "*"}/{replicaName}\" not found");
            }
            return Print(parse.GetValue(output)!, replicas, replicaName is not null, (wide, now) => ReplicaTable.Of(replicas, wide, now));
        });
        return command;
    }

    private static Argument<string?> OptionalName(string kind) => new("NAME")
    {
        Description = $"Name of one {kind}; all when left out",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>A named get prints the object itself, a list prints the array, as kubectl does.</summary>
    private int Print<T>(string format, List<T> items, bool single, Func<bool, DateTimeOffset, Table> table)
    {
        if (single ? OutputFormat.TryWriteObject(format, items[0], context.Out) : OutputFormat.TryWriteObject(format, items, context.Out))
            return 0;
        if (items.Count == 0)
        {
            context.Err.WriteLine("No resources found.");
            return 0;
        }
        table(format == OutputFormat.Wide, context.Now).Write(context.Out);
        return 0;
    }
}
