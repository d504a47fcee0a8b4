using System.CommandLine;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>The SERVICE|REPLICA of exec and port-forward: `web`, `web.1.px9r2x`, a prefix of an id, or kubectl's `svc/web`, `po/web.1.px9r2x`.</summary>
public static class ReplicaTargetArgument
{
    public static Argument<string> Create() => new("SERVICE|REPLICA")
    {
        Description = "A service (one of its running replicas is used), or a replica's name, id or an unambiguous prefix; svc/NAME and pod/NAME work too",
    };

    /// <summary>The name without a service or replica type in front; the control plane tells a service from a replica.</summary>
    public static string Name(string target)
    {
        var slash = target.IndexOf('/');
        if (slash <= 0) return target;
        var type = target[..slash];
        return ResourceType.Services.Names.Concat(ResourceType.Replicas.Names).Append("deploy").Append("deployment").Contains(type)
            ? target[(slash + 1)..]
            : target;
    }
}
