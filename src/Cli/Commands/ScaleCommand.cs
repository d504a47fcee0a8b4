using System.CommandLine;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc scale service NAME --replicas N`: changes only the replica count, leaving the rest of the spec as applied.</summary>
public sealed class ScaleCommand(CliContext context)
{
    public Command Build()
    {
        var (service, name, ns) = CommonOptions.ServiceTarget("Set the number of replicas of a service");
        var replicas = new Option<int>("--replicas") { Description = "How many replicas the service should have", Required = true };
        service.Add(replicas);
        service.SetAction(async (parse, ct) =>
        {
            var (serviceName, count) = (parse.GetValue(name)!, parse.GetValue(replicas));
            await context.Api(parse).ScaleServiceAsync(parse.GetValue(ns)!, serviceName, count, ct);
            context.Out.WriteLine($"service/{serviceName} scaled to {count}");
            return 0;
        });
        return new Command("scale", "Change how many replicas an object has") { service };
    }
}
