using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ServiceDefaults;

WebApplication app;
try
{
    app = ControlPlaneHost.Build(args);
}
catch (InvalidSettingsException e)
{
    foreach (var p in e.Problems) Console.Error.WriteLine($"error: {p}");
    return 2;
}
app.Run();
return 0;
