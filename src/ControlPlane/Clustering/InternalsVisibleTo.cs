using System.Runtime.CompilerServices;

// The membership table is internal (only Orleans should call it); its tests drive it directly.
[assembly: InternalsVisibleTo("Orchestrator.ControlPlane.Tests")]
