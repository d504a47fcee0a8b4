namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>A service of sleeping busybox replicas: cheap to run and easy to count in any engine.</summary>
public static class SleepService
{
    /// <param name="placement">lines of the spec's placement block, indented four spaces, or null for none</param>
    public static string Yaml(string name, int replicas, string? placement = null) => $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          image: local/busybox:1
          command: ["sleep", "3600"]
          replicas: {{replicas}}
          resources: {memory: 16Mi}
        """ + (placement is null ? "" : "\n  placement:\n" + placement);
}
