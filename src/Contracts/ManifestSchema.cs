namespace Orchestrator.Contracts;

/// <summary>
/// One field of a manifest as a person reads about it: its name, its type, what it means and allows, and its fields.
/// <see cref="Fields"/> of a mapping are exactly what the validator accepts there (checked by a test that asks the
/// validator), so `orc explain` and docs/manifest.md can never describe a field the validator refuses, or miss one.
/// </summary>
public sealed record FieldDoc(string Name, string Type, string Description, IReadOnlyList<FieldDoc> Fields, bool Required = false)
{
    public FieldDoc(string name, string type, string description, bool required = false) : this(name, type, description, [], required) { }

    /// <summary>True when the field is a mapping (or a list of mappings) whose own fields are checked.</summary>
    public bool HasFields => Fields.Count > 0;
}

/// <summary>The reference of every kind and field: what `orc explain` prints and docs/manifest.md is made of.</summary>
public static class ManifestSchema
{
    private const string Duration = "duration";

    private static readonly FieldDoc[] ProbeCommon =
    [
        new("initialDelaySeconds", "integer", "Seconds after the container starts before the first probe; 0 to 3600, default 0."),
        new("periodSeconds", "integer", "Seconds between probes; 1 to 3600, default 10."),
        new("timeoutSeconds", "integer", "Seconds a probe may take before it counts as failed; 1 to 3600, default 1."),
        new("failureThreshold", "integer", "Failures in a row that make the probe fail; 1 to 3600, default 3."),
        new("successThreshold", "integer", "Successes in a row that make it pass again; 1 to 3600, default 1 (must be 1 for livenessProbe)."),
    ];

    private static FieldDoc Probe(string name, string description) => new(name, "object", description,
    [
        new("exec", "object", "Run a command in the container; exit code 0 passes. Exactly one of exec, httpGet, tcpSocket.",
            [new("command", "[]string", "The command and its arguments; a non-empty list.", required: true)]),
        new("httpGet", "object", "An HTTP GET to the container; a 2xx or 3xx answer passes.",
            [
                new("path", "string", "Starts with '/'; default \"/\"."),
                new("port", "integer", "The container port, 1 to 65535 (numbers only).", required: true),
            ]),
        new("tcpSocket", "object", "A TCP connect to the container; an accepted connection passes.",
            [new("port", "integer", "The container port, 1 to 65535.", required: true)]),
        .. ProbeCommon,
    ]);

    private static FieldDoc AffinityRules(string name, string description) => new(name, "object", description,
    [
        new("required", "[]object", "Terms that must all hold; a replica that cannot meet one stays Pending with the reason.",
            [
                new("labelSelector", "map[string]string", "Labels (of a service, in the same namespace) whose replicas count; at least one.", required: true),
                new("topologyKey", "string", "A node label key, or node.name: replicas on nodes with the same value are \"near\".", required: true),
            ]),
        new("preferred", "[]object", "Terms that add to a node's score when they hold.",
            [
                new("weight", "integer", "1 to 100: how much the term adds.", required: true),
                new("labelSelector", "map[string]string", "As in required.", required: true),
                new("topologyKey", "string", "As in required.", required: true),
            ]),
    ]);

    private static readonly FieldDoc Metadata = new("metadata", "object", "The object's name, namespace and labels.",
    [
        new("name", "string", "A DNS-1123 label: at most 63 characters, a-z 0-9 '-', alphanumeric at both ends.", required: true),
        new("namespace", "string", "A DNS-1123 label; default \"default\"."),
        new("labels", "map[string]string", "Key: [DNS-subdomain prefix/]name (name at most 63: alphanumerics - _ .); value at most 63 characters, may be empty. At most 64."),
        new("generation", "integer", "Written by the control plane for stored objects (whole number >= 0); ignored on apply."),
        new("resourceVersion", "integer", "Written by the control plane for stored objects (whole number >= 0); ignored on apply."),
    ], Required: true);

    private static readonly FieldDoc ReclaimPolicyDoc =
        new("reclaimPolicy", "string", "What deleting the service does to the data: Retain (default: kept, listed by orc get volumes, removed by orc volume rm) or Delete (removed with the service).");

    private static readonly FieldDoc ServiceSpec = new("spec", "object", "What the service runs, how many, where and how it is updated.",
    [
        new("image", "string", "The image to run; non-empty, no whitespace (e.g. local/web:1).", required: true),
        new("command", "[]string", "Replaces the image's entrypoint; a list (a single string is an error). At most 1000 items of 32 KiB."),
        new("args", "[]string", "Replaces the image's cmd. At most 1000 items of 32 KiB."),
        new("env", "map[string]string | []object", "Environment variables: a map NAME: value, or Kubernetes' list of {name, value} / {name, valueFrom}. Names [A-Za-z_][A-Za-z0-9_]*; at most 1000, each value at most 32 KiB.",
            [
                new("name", "string", "The variable's name.", required: true),
                new("value", "string", "Its value; default \"\". Not with valueFrom."),
                new("valueFrom", "object", "The value of a Secret's or Config's key, read on the node when the replica starts; exactly one of the two (docs/secrets.md).",
                    [
                        KeyRef("secretKeyRef", "A key of a Secret of the service's namespace; the value never leaves the replica's node."),
                        KeyRef("configKeyRef", "A key of a Config of the service's namespace."),
                    ]),
            ]),
        new("replicas", "integer", "How many copies run; 0 to 10000, default 1 (unquoted)."),
        new("resources", "object", "Each value is both the placement request and the runtime limit.",
            [
                new("cpu", "quantity", "Cores (\"0.5\", \"2\") or millicores (\"250m\"); more than 0."),
                new("memory", "quantity", "Bytes or Ki Mi Gi Ti (k M G T); at least 6Mi (Docker refuses less)."),
                new("pids", "integer", "Most processes the container may have; 1 to 4194304, default 1024."),
            ]),
        new("ports", "[]object", "Ports the container listens on; at most 100. No two share containerPort+protocol, hostPort+protocol or a name.",
            [
                new("containerPort", "integer", "1 to 65535.", required: true),
                new("hostPort", "integer", "1 to 65535; absent: the engine picks a free host port."),
                new("protocol", "string", "tcp (default) or udp."),
                new("name", "string", "A DNS-1123 label."),
                new("publishedPort", "integer", "30000 to 32767: opened on every node and balanced to the ready replicas (docs/networking.md); one service per port and protocol in the cluster."),
            ]),
        new("restartPolicy", "string | object", "always (default), on-failure or never; or the long form below (docs/health.md).",
            [
                new("condition", "string", "always (default), on-failure or never."),
                new("maxAttempts", "integer", "Restarts before giving up, only with on-failure; default 0 = no limit."),
                new("delay", Duration, $"First wait before a restart, doubled each time; default {RestartPolicy.DefaultDelay}."),
                new("maxDelay", Duration, $"Longest wait between restarts, at least delay; default {RestartPolicy.DefaultMaxDelay}."),
            ]),
        Probe("livenessProbe", "A failing container is restarted (docs/health.md)."),
        Probe("readinessProbe", "A replica counts as ready, for rollouts and status, only while this passes."),
        new("placement", "object", "Where replicas may go; every part optional (absent: anywhere, spread). See src/Scheduler/README.md.",
            [
                new("strategy", "string", "spread (default: least allocated first) or binpack (most allocated first)."),
                new("nodeSelector", "map[string]string", "Labels every chosen node must have; node.name is the node's name."),
                new("constraints", "[]object", "Rules that must all hold (Kubernetes' nodeAffinity matchExpressions).",
                    [
                        new("key", "string", "A node label key or node.name.", required: true),
                        new("operator", "string", "In, NotIn, Exists or DoesNotExist (case-sensitive).", required: true),
                        new("values", "[]string", "With In and NotIn at least one; left out with Exists and DoesNotExist."),
                    ]),
                new("tolerations", "[]object", "Taints of nodes this service accepts.",
                    [
                        new("key", "string", "The taint's key; required with Equal, empty with Exists tolerates every taint."),
                        new("operator", "string", "Equal (default) or Exists."),
                        new("value", "string", "Compared with Equal; left out with Exists."),
                        new("effect", "string", "NoSchedule, PreferNoSchedule or NoExecute; absent: every effect."),
                    ]),
                new("maxPerNode", "integer", "At most this many replicas of the service on one node; 1 to 10000."),
                AffinityRules("affinity", "Near replicas whose service labels match."),
                AffinityRules("antiAffinity", "Away from replicas whose service labels match."),
                new("topologySpread", "[]object", "This service's replicas evenly over the values of a node label.",
                    [
                        new("topologyKey", "string", "A node label key or node.name.", required: true),
                        new("maxSkew", "integer", "1 to 10000, default 1: most replicas one domain may hold above the emptiest."),
                    ]),
            ]),
        new("updateStrategy", "object", "How a change of the spec is rolled out (docs/rollouts.md); changing it restarts nothing.",
            [
                new("maxSurge", "integer | percentage", $"Replicas started above the desired count during a rollout; default {UpdateStrategy.DefaultMaxSurge}. Percentages round up."),
                new("maxUnavailable", "integer | percentage", $"Replicas that may be unavailable during a rollout; default {UpdateStrategy.DefaultMaxUnavailable}. Percentages round down; not both 0."),
                new("order", "string", "start-first (default: the new replica is ready before the old stops) or stop-first."),
                new("minReadySeconds", "integer", "Seconds a new replica must stay ready before it counts; 0 to 3600."),
                new("progressDeadline", Duration, $"A rollout that makes no progress for this long failed; default {UpdateStrategy.DefaultProgressDeadline}."),
                new("onFailure", "string", "pause (default, as Swarm) or rollback."),
            ]),
        new("stopGracePeriod", Duration, "Time between the stop signal and SIGKILL; default: the engine's 10s."),
        new("stopSignal", "string", "SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2 or SIGWINCH; default: the image's STOPSIGNAL."),
        new("securityContext", "object", "The container's user and privileges (Kubernetes' names; docs/security.md).",
            [
                new("runAsUser", "integer", "The uid the process runs as; 0 to 2147483647."),
                new("runAsGroup", "integer", "The gid; needs runAsUser."),
                new("runAsNonRoot", "boolean", "Refuse to run as uid 0: a root image fails with that reason."),
                new("readOnlyRootFilesystem", "boolean", "The container's root filesystem is read-only."),
                new("allowPrivilegeEscalation", "boolean", "false (default) sets no-new-privileges."),
                new("capabilities", "object", "Linux capabilities on top of the engine's default set (minus NET_RAW).",
                    [
                        new("add", "[]string", "Capabilities to add, from the allowlist in docs/security.md."),
                        new("drop", "[]string", "Capabilities to drop; ALL drops every one."),
                    ]),
            ]),
        new("hostname", "string", "The container's hostname (UTS namespace); a DNS-1123 label."),
        new("volumes", "[]object", $"Volumes the replicas may mount (docs/volumes.md, docs/secrets.md); at most {ManifestLimits.MaxVolumes}, names unique. Exactly one kind each: persistent, shared, emptyDir, secret or config.",
            [
                new("name", "string", "A DNS-1123 label; volumeMounts refer to it.", required: true),
                new(VolumeKinds.Persistent, "object", "One Docker named volume per replica slot (orc.NS.SERVICE.VOLUME.SLOT), kept across restarts, replacements, rollouts and scale-down; the slot stays on the node that holds it.",
                    [ReclaimPolicyDoc]),
                new(VolumeKinds.Shared, "object", "One Docker named volume per service and node (orc.NS.SERVICE.VOLUME.shared), shared by the service's replicas there.",
                    [ReclaimPolicyDoc]),
                new(VolumeKinds.EmptyDir, "object", "Scratch that is removed with the replica.",
                    [new("medium", "string", "Memory: a tmpfs (counts against the container's memory); absent: on the node's disk.")]),
                new(VolumeKinds.Secret, "object", "The keys of a Secret as files, on tmpfs (never on the node's disk); mounted read-only at /run/secrets/SECRETNAME unless a volumeMount names it.",
                    [
                        new("secretName", "string", "The Secret, in the service's namespace; a missing one refuses the apply unless optional.", required: true),
                        new("optional", "boolean", "true: a missing Secret (or key of items) is no error; default false."),
                        Items,
                    ]),
                new(VolumeKinds.Config, "object", "The keys of a Config as files.",
                    [
                        new("name", "string", "The Config, in the service's namespace; a missing one refuses the apply unless optional.", required: true),
                        new("optional", "boolean", "true: a missing Config (or key of items) is no error; default false."),
                        Items,
                    ]),
            ]),
        new("volumeMounts", "[]object", $"Where the container sees a volume; at most {ManifestLimits.MaxVolumeMounts}, no two at one path.",
            [
                new("name", "string", "The name of one of spec.volumes (a secret volume no mount names is at /run/secrets/SECRETNAME, read-only).", required: true),
                new("mountPath", "string", $"An absolute path, at most {ManifestLimits.MaxMountPathBytes} characters, without '..', ':' or ','; not / nor under /proc, /sys, /dev.", required: true),
                new("readOnly", "boolean", "true: the container cannot write to it; default false."),
            ]),
    ], Required: true);

    private static FieldDoc KeyRef(string name, string description) => new(name, "object", description,
    [
        new("name", "string", "The object's name (a DNS-1123 label).", required: true),
        new("key", "string", "One of its keys; a missing one refuses the apply unless optional.", required: true),
        new("optional", "boolean", "true: a missing object or key leaves the variable unset; default false."),
    ]);

    private static FieldDoc Items => new("items", "[]object", "Only these keys, each at its own path; default: every key at a file of its name.",
    [
        new("key", "string", "A key of the object.", required: true),
        new("path", "string", "A relative path without '..' or '.' segments.", required: true),
    ]);

    /// <summary>A Service: a long-running image kept at a number of replicas.</summary>
    public static readonly FieldDoc Service = new(ObjectKinds.Service, "object", "A long-running image kept at a number of replicas spread over the nodes.",
    [
        new("apiVersion", "string", $"Always {ObjectKinds.ApiVersion}.", required: true),
        new("kind", "string", $"The kind: {string.Join(", ", ObjectKinds.All)}.", required: true),
        Metadata,
        ServiceSpec,
    ]);

    private static readonly string DataKeys =
        $"Keys: {Names.DataKeyAllowed}; at most {ManifestLimits.MaxDataKeys} keys and {ManifestLimits.MaxDataBytes / (1 << 20)} MiB of values in all.";

    /// <summary>A Secret: values a service reads, kept encrypted at rest and never shown (docs/secrets.md).</summary>
    public static readonly FieldDoc Secret = new(ObjectKinds.Secret, "object", "Values kept encrypted at rest (AES-256-GCM) and never shown by the API or orc: only keys and sizes (docs/secrets.md).",
    [
        new("apiVersion", "string", $"Always {ObjectKinds.ApiVersion}.", required: true),
        new("kind", "string", "Secret.", required: true),
        Metadata,
        new("data", "map[string]string", "Key: base64 of the value. " + DataKeys),
        new("stringData", "map[string]string", "Key: the value as plain text; wins over data for the same key. " + DataKeys),
    ]);

    /// <summary>A Config: text a service reads, stored as it is.</summary>
    public static readonly FieldDoc Config = new(ObjectKinds.Config, "object", "Text values stored as they are and shown by the API (docs/secrets.md).",
    [
        new("apiVersion", "string", $"Always {ObjectKinds.ApiVersion}.", required: true),
        new("kind", "string", "Config.", required: true),
        Metadata,
        new("data", "map[string]string", "Key: the text. " + DataKeys),
    ]);

    public static IReadOnlyList<FieldDoc> Kinds { get; } = [Service, Secret, Config];

    /// <summary>
    /// The field at a dotted path that starts with a kind or one of its aliases ("service.spec.updateStrategy",
    /// "svc.spec"); the kind's own field for a bare kind. Null with the reason when a part is not a field.
    /// </summary>
    public static (FieldDoc? Field, string Error) Find(string path, Func<string, string?> kindOf)
    {
        var parts = path.Split('.', StringSplitOptions.TrimEntries);
        var kindName = kindOf(parts[0]);
        var field = Kinds.FirstOrDefault(k => k.Name == kindName);
        if (field is null)
            return (null, $"unknown kind \"{parts[0]}\"; known: {string.Join(", ", Kinds.Select(k => k.Name.ToLowerInvariant()))}{DidYouMean.Hint(parts[0], Kinds.Select(k => k.Name.ToLowerInvariant()).ToList())}");
        for (var i = 1; i < parts.Length; i++)
        {
            var next = field.Fields.FirstOrDefault(f => f.Name == parts[i])
                ?? field.Fields.FirstOrDefault(f => string.Equals(f.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            if (next is null)
            {
                var at = string.Join('.', parts[..i]);
                var names = field.Fields.Select(f => f.Name).ToList();
                return (null, field.HasFields
                    ? $"{at} has no field \"{parts[i]}\"; its fields: {string.Join(", ", names)}{DidYouMean.Hint(parts[i], names)}"
                    : $"{at} is a {field.Type} and has no fields");
            }
            field = next;
        }
        return (field, "");
    }
}
