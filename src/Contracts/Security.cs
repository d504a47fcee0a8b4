namespace Orchestrator.Contracts;

/// <summary>
/// spec.securityContext, with Kubernetes' names. Every field is optional; what is not set keeps the safe defaults the
/// agent gives every container (docs/security.md, "Container defaults"): no privilege escalation, NET_RAW dropped.
/// </summary>
public sealed record SecurityContext
{
    /// <summary>The uid the process runs as; null means the image's USER.</summary>
    public long? RunAsUser { get; init; }
    /// <summary>The gid the process runs as; needs <see cref="RunAsUser"/> (Docker sets both as "uid:gid").</summary>
    public long? RunAsGroup { get; init; }
    /// <summary>The agent refuses to start a replica whose user would be root (uid 0 or a user name it cannot check).</summary>
    public bool? RunAsNonRoot { get; init; }
    public bool? ReadOnlyRootFilesystem { get; init; }
    /// <summary>Null and false mean no-new-privileges; only true lets setuid binaries raise privileges.</summary>
    public bool? AllowPrivilegeEscalation { get; init; }
    public Capabilities? Capabilities { get; init; }
}

/// <summary>Linux capabilities to add to or drop from the engine's default set, without the CAP_ prefix.</summary>
public sealed record Capabilities
{
    public List<string> Add { get; init; } = new();
    public List<string> Drop { get; init; } = new();

    /// <summary>
    /// What may be added: the engine's own default set, so a container can drop ALL and add back what it needs, and
    /// NET_RAW, which the agent drops by default. Anything more (SYS_ADMIN, NET_ADMIN, SYS_PTRACE...) can reach
    /// beyond the container and is refused.
    /// </summary>
    public static readonly string[] Addable =
    [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ];

    /// <summary>Every Linux capability (capabilities(7)) and ALL: any of them may be dropped.</summary>
    public static readonly string[] Droppable =
    [
        "ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
        "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
        "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
        "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
        "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
    ];

    /// <summary>Dropped from every container unless the manifest adds it back: raw sockets allow spoofing on the bridge.</summary>
    public static readonly string[] DroppedByDefault = ["NET_RAW"];
}
