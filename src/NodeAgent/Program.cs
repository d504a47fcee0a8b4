using Orchestrator.NodeAgent.Hosting;
using Orchestrator.ServiceDefaults;

WebApplication app;
try
{
    app = AgentHost.Build(args);
}
catch (InvalidSettingsException e)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, e.Problems.Select(p => "  " + p).Prepend("node agent: invalid settings:")));
    return 2;
}
await app.RunAsync();
return 0;
