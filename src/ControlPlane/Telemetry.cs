using System.Diagnostics;

namespace Orchestrator.ControlPlane;

public static class Telemetry
{
    public const string Name = "Orchestrator.ControlPlane";
    public static readonly ActivitySource Source = new(Name);
}
