namespace Orchestrator.Scheduler;

/// <summary>A service's identity: the same name in two namespaces is two services.</summary>
public readonly record struct ServiceKey(string Namespace, string Service);
