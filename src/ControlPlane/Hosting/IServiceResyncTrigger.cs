namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Asks for a reconcile pass over every service soon (a node registered, a node's scheduling changed).</summary>
public interface IServiceResyncTrigger
{
    void Trigger();
}
