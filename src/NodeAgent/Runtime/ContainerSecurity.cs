using Docker.DotNet.Models;
using Orchestrator.Contracts;
using ContainerSpec = Orchestrator.Contracts.ContainerSpec;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// What every container gets whatever its manifest says (docs/security.md, "Container defaults"), and how
/// spec.securityContext changes it: the engine settings, and the one check that needs the image (runAsNonRoot).
/// </summary>
public static class ContainerSecurity
{
    public const string LogDriver = "json-file";
    public const string LogMaxSize = "10m";
    public const string LogMaxFiles = "3";
    public const string NoNewPrivileges = "no-new-privileges";

    /// <summary>Sets user, hostname, capabilities, privilege escalation, read-only root, pids and log rotation.</summary>
    public static void Apply(ContainerSpec spec, CreateContainerParameters create)
    {
        var security = spec.SecurityContext ?? new SecurityContext();
        var host = create.HostConfig ??= new HostConfig();
        if (security.RunAsUser is { } user) create.User = security.RunAsGroup is { } group ? $"{user}:{group}" : $"{user}";
        if (spec.Hostname is { } hostname) create.Hostname = hostname;
        host.SecurityOpt = security.AllowPrivilegeEscalation == true ? [] : [NoNewPrivileges];
        host.ReadonlyRootfs = security.ReadOnlyRootFilesystem == true;
        host.PidsLimit = spec.Pids ?? ResourceSpec.DefaultPids;
        host.LogConfig = new LogConfig
        {
            Type = LogDriver,
            Config = new Dictionary<string, string> { ["max-size"] = LogMaxSize, ["max-file"] = LogMaxFiles },
        };
        var (add, drop) = CapabilityChanges(security.Capabilities);
        host.CapAdd = add;
        host.CapDrop = drop;
    }

    /// <summary>The default drops, minus what the manifest adds back, plus what it drops; ALL stands alone.</summary>
    public static (List<string> Add, List<string> Drop) CapabilityChanges(Capabilities? caps)
    {
        var add = caps?.Add ?? [];
        var asked = caps?.Drop ?? [];
        var drop = asked.Contains("ALL")
            ? ["ALL"]
            : Capabilities.DroppedByDefault.Where(c => !add.Contains(c)).Concat(asked).Distinct().ToList();
        return (add.ToList(), drop);
    }

    /// <summary>
    /// Why a replica with runAsNonRoot may not start as the image would run it, or null when it may. As in Kubernetes:
    /// a uid given in the manifest decides; otherwise the image's USER must be a non-zero number, because a user
    /// name could be root and cannot be checked without the image's /etc/passwd.
    /// </summary>
    public static string? NonRootRefusal(ContainerSpec spec, string? imageUser)
    {
        if (spec.SecurityContext is not { RunAsNonRoot: true } security) return null;
        if (security.RunAsUser is { } uid)
            return uid == 0 ? "runAsNonRoot is set but runAsUser is 0 (root)" : null;
        var user = (imageUser ?? "").Split(':')[0];
        if (user is "" or "root" or "0")
            return $"runAsNonRoot is set but image {spec.Image} runs as root (its USER is {(user == "" ? "not set" : user)}); " +
                   "set securityContext.runAsUser to a non-zero uid or use an image with a non-root USER";
        if (!long.TryParse(user, out _))
            return $"runAsNonRoot is set but image {spec.Image} runs as user \"{user}\", a name that cannot be checked for root; " +
                   "set securityContext.runAsUser to its uid";
        return null;
    }
}

/// <summary>The agent will not create this container as asked; the message says why and what to change.</summary>
public sealed class ContainerRefusedException(string message) : Exception(message);
