using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>Every kind of mistake, with where it is reported and what the message tells the person.</summary>
[Trait("Category", "Unit")]
public class ManifestErrorTests
{
    /// <param name="Message">Fragments the message must contain.</param>
    public sealed record Case(string Name, string Yaml, int Line, int Column, string Path, params string[] Message);

    private static readonly Case[] Cases =
    [
        // Envelope
        new("document is a list", Lines("- web", "- worker"), 1, 1, "",
            "a manifest document must be a mapping with fields apiVersion, kind, metadata, spec, got a list"),
        new("document is a scalar", "hello", 1, 1, "", "a manifest document must be a mapping", "got \"hello\""),
        new("apiVersion missing", Header.Replace("apiVersion: orchestrator/v1\n", ""), 1, 1, "apiVersion",
            "required: one of orchestrator/v1"),
        new("apiVersion unknown", Header.Replace("orchestrator/v1", "v1"), 1, 13, "apiVersion",
            "unknown apiVersion \"v1\"; allowed: orchestrator/v1"),
        new("kind missing", Header.Replace("kind: Service\n", ""), 1, 1, "kind", "required: one of Service, Secret, Config"),
        new("kind in the wrong case", Header.Replace("kind: Service", "kind: service"), 2, 7, "kind",
            "unknown kind \"service\"; allowed: Service, Secret, Config (did you mean \"Service\"?)"),
        new("kind unknown", Header.Replace("kind: Service", "kind: Deployment"), 2, 7, "kind",
            "unknown kind \"Deployment\"; allowed: Service, Secret, Config"),
        new("unknown top-level field", Header + "\nreplicas: 3", 7, 1, "replicas",
            "unknown field \"replicas\"; allowed: apiVersion, kind, metadata, spec"),
        new("status is not settable", Header + "\nstatus:\n  running: 3", 7, 1, "status",
            "status is reported by the control plane and cannot be set"),
        new("metadata missing", Lines("apiVersion: orchestrator/v1", "kind: Service", "spec:", "  image: a"), 1, 1, "metadata",
            "required: a mapping with at least name"),
        new("spec missing", Lines("apiVersion: orchestrator/v1", "kind: Service", "metadata:", "  name: web"), 1, 1, "spec",
            "required: a mapping with at least image"),
        new("spec is a list", Lines("apiVersion: orchestrator/v1", "kind: Service", "metadata:", "  name: web", "spec: []"), 5, 7, "spec",
            "must be a mapping with fields image, command, args, env, replicas, resources, ports, restartPolicy, livenessProbe, readinessProbe, placement, updateStrategy, stopGracePeriod, stopSignal, securityContext, hostname, volumes, volumeMounts, got a list"),

        // Metadata
        new("name missing", Header.Replace("  name: web", "  namespace: prod"), 4, 3, "metadata.name",
            "required: a DNS-1123 label"),
        new("name written as null", Header.Replace("name: web", "name: ~"), 4, 3, "metadata.name", "required"),
        new("name not a DNS-1123 label", Header.Replace("name: web", "name: Web_1"), 4, 9, "metadata.name",
            "must be a DNS-1123 label (at most 63 characters", "got \"Web_1\""),
        new("namespace not a DNS-1123 label", Header.Replace("name: web", "name: web\n  namespace: Prod"), 5, 14, "metadata.namespace",
            "must be a DNS-1123 label", "got \"Prod\""),
        new("unknown metadata field", Header.Replace("name: web", "name: web\n  lables: {}"), 5, 3, "metadata.lables",
            "unknown field \"lables\"; allowed: name, namespace, labels, generation, resourceVersion (did you mean \"labels\"?)"),
        new("labels is a list", Header.Replace("name: web", "name: web\n  labels: [app]"), 5, 11, "metadata.labels",
            "must be a mapping of label keys to values, got a list"),
        new("label key invalid", Header.Replace("name: web", "name: web\n  labels:\n    bad key: x"), 6, 5, "metadata.labels[\"bad key\"]",
            "key \"bad key\" is not valid: must be an optional DNS subdomain prefix"),
        new("label value too long", Header.Replace("name: web", $"name: web\n  labels:\n    app: {new string('a', 64)}"), 6, 10, "metadata.labels.app",
            "must be empty, or at most 63 characters"),
        new("generation negative", Header.Replace("name: web", "name: web\n  generation: -2"), 5, 15, "metadata.generation",
            "must be a whole number >= 0, got \"-2\""),

        // Spec
        new("image missing", Lines("apiVersion: orchestrator/v1", "kind: Service", "metadata:", "  name: web", "spec:", "  replicas: 1"), 6, 3, "spec.image",
            "required: an image reference without spaces"),
        new("image with a space", Header.Replace("local/web:1", "\"local web:1\""), 6, 10, "spec.image",
            "must be an image reference without spaces, like \"local/web:1\", got \"local web:1\""),
        new("image empty", Header.Replace("local/web:1", "''"), 6, 10, "spec.image", "got \"\""),
        new("unknown spec field close to one allowed", WithSpec("  replica: 3"), 7, 3, "spec.replica",
            "unknown field \"replica\"; allowed: image, command, args, env, replicas, resources, ports, restartPolicy, livenessProbe, readinessProbe, placement, updateStrategy, stopGracePeriod, stopSignal, securityContext, hostname, volumes, volumeMounts (did you mean \"replicas\"?)"),
        new("unknown spec field far from all allowed", WithSpec("  networks: []"), 7, 3, "spec.networks",
            "unknown field \"networks\"; allowed: image, command, args, env, replicas, resources, ports, restartPolicy, livenessProbe, readinessProbe, placement, updateStrategy, stopGracePeriod, stopSignal, securityContext, hostname, volumes, volumeMounts"),
        new("replicas a word", WithSpec("  replicas: three"), 7, 13, "spec.replicas", "must be a whole number >= 0, got \"three\""),
        new("replicas a quoted number", WithSpec("  replicas: \"3\""), 7, 13, "spec.replicas",
            "must be a whole number >= 0, got \"3\"", "write the number without quotes"),
        new("replicas negative", WithSpec("  replicas: -1"), 7, 13, "spec.replicas", "must be a whole number >= 0, got \"-1\""),
        new("replicas a fraction", WithSpec("  replicas: 1.5"), 7, 13, "spec.replicas", "got \"1.5\""),
        new("replicas too many", WithSpec("  replicas: 20000"), 7, 13, "spec.replicas", "must be at most 10000, got 20000"),
        new("replicas beyond a long", WithSpec("  replicas: 99999999999999999999"), 7, 13, "spec.replicas", "must be a whole number >= 0"),
        new("replicas a list", WithSpec("  replicas: [3]"), 7, 13, "spec.replicas", "got a list"),
        new("command a single string", WithSpec("  command: httpd -f"), 7, 12, "spec.command",
            "must be a list of strings", "got \"httpd -f\"", "write a single value as a one-element list"),
        new("command a mapping", WithSpec("  command: {run: x}"), 7, 12, "spec.command", "must be a list of strings", "got a mapping"),
        new("args item a mapping", WithSpec("  args: [x, {a: b}]"), 7, 13, "spec.args[1]", "must be text, got a mapping"),

        // Env
        new("env a string", WithSpec("  env: A=1"), 7, 8, "spec.env",
            "must be a mapping of NAME: value, or a list of {name, value}, got \"A=1\""),
        new("env name invalid", WithSpec("  env:", "    1BAD: x"), 8, 5, "spec.env.1BAD",
            "key \"1BAD\" is not valid: must be letters, digits and '_', not starting with a digit"),
        new("env value a list", WithSpec("  env:", "    A: [1]"), 8, 8, "spec.env.A", "must be text, got a list"),
        new("env list item without name", WithSpec("  env:", "    - value: x"), 8, 7, "spec.env[0].name", "required"),
        new("env list item with a bad name", WithSpec("  env:", "    - name: my-var"), 8, 13, "spec.env[0].name",
            "must be letters, digits and '_'", "got \"my-var\""),
        new("env list item unknown field", WithSpec("  env:", "    - name: A", "      envFrom: {}"), 9, 7, "spec.env[0].envFrom",
            "unknown field \"envFrom\"; allowed: name, value, valueFrom"),
        new("env list with a name twice", WithSpec("  env:", "    - name: A", "      value: x", "    - name: A"), 10, 13, "spec.env[1].name",
            "\"A\" is already set by spec.env[0]"),

        // Resources
        new("resources a string", WithSpec("  resources: small"), 7, 14, "spec.resources", "must be a mapping with fields cpu, memory"),
        new("resources unknown field", WithSpec("  resources:", "    gpu: 1"), 8, 5, "spec.resources.gpu", "allowed: cpu, memory, pids"),
        new("cpu a word", WithSpec("  resources:", "    cpu: lots"), 8, 10, "spec.resources.cpu",
            $"must be {Units.CpuAllowed}, got \"lots\""),
        new("cpu zero", WithSpec("  resources:", "    cpu: 0m"), 8, 10, "spec.resources.cpu", "must be more than 0"),
        new("memory in Docker's spelling", WithSpec("  resources:", "    memory: 64MB"), 8, 13, "spec.resources.memory",
            $"must be {Units.MemoryAllowed}, got \"64MB\""),
        new("memory below Docker's minimum", WithSpec("  resources:", "    memory: 4Mi"), 8, 13, "spec.resources.memory",
            "must be at least 6Mi (Docker refuses smaller memory limits), got \"4Mi\""),

        // Ports
        new("ports a mapping", WithSpec("  ports: {containerPort: 80}"), 7, 10, "spec.ports", "must be a list of ports", "got a mapping"),
        new("port a number", WithSpec("  ports: [80]"), 7, 11, "spec.ports[0]", "must be a mapping with fields containerPort, hostPort, protocol, name, publishedPort"),
        new("containerPort missing", WithSpec("  ports:", "    - hostPort: 80"), 8, 7, "spec.ports[0].containerPort",
            "required: a port number from 1 to 65535"),
        new("containerPort too high", WithSpec("  ports:", "    - containerPort: 70000"), 8, 22, "spec.ports[0].containerPort",
            "must be a whole number from 1 to 65535, got \"70000\""),
        new("containerPort misspelt", WithSpec("  ports:", "    - containerport: 80"), 8, 7, "spec.ports[0].containerport",
            "(did you mean \"containerPort\"?)"),
        new("hostPort zero", WithSpec("  ports:", "    - containerPort: 80", "      hostPort: 0"), 9, 17, "spec.ports[0].hostPort",
            "must be a whole number from 1 to 65535, got \"0\""),
        new("protocol unknown", WithSpec("  ports:", "    - containerPort: 80", "      protocol: sctp"), 9, 17, "spec.ports[0].protocol",
            "must be tcp or udp, got \"sctp\""),
        new("port name not a DNS-1123 label", WithSpec("  ports:", "    - containerPort: 80", "      name: HTTP"), 9, 13, "spec.ports[0].name",
            "must be a DNS-1123 label"),
        new("two ports with one containerPort and protocol",
            WithSpec("  ports:", "    - containerPort: 8080", "    - containerPort: 8080", "      protocol: TCP"), 9, 22, "spec.ports[1].containerPort",
            "containerPort 8080/tcp is already used by spec.ports[0]"),
        new("two ports with one hostPort and protocol",
            WithSpec("  ports:", "    - containerPort: 80", "      hostPort: 8080", "    - containerPort: 81", "      hostPort: 8080"), 11, 17, "spec.ports[1].hostPort",
            "hostPort 8080/tcp is already used by spec.ports[0]"),
        new("publishedPort below the published range", WithSpec("  ports:", "    - containerPort: 80", "      publishedPort: 8080"), 9, 22, "spec.ports[0].publishedPort",
            "30000", "32767", "8080"),
        new("publishedPort not a number", WithSpec("  ports:", "    - containerPort: 80", "      publishedPort: \"30080; rm -rf /\""), 9, 22, "spec.ports[0].publishedPort",
            "30000", "32767"),
        new("two ports with one publishedPort", WithSpec("  ports:", "    - containerPort: 80", "      publishedPort: 30080", "    - containerPort: 81", "      publishedPort: 30080"), 11, 22, "spec.ports[1].publishedPort",
            "publishedPort 30080/tcp is already used by spec.ports[0]"),
        new("two ports with one name",
            WithSpec("  ports:", "    - {containerPort: 80, name: http}", "    - {containerPort: 81, name: http}"), 9, 33, "spec.ports[1].name",
            "name \"http\" is already used by spec.ports[0]"),

        // YAML itself
        new("malformed YAML", WithSpec("  replicas: 3: 4"), 7, 14, "", "invalid YAML: "),
        new("duplicate key", WithSpec("  image: local/web:2"), 7, 3, "", "invalid YAML: ", "Duplicate key"),
        new("object twice in one file", Header + "\n---\n" + Header, 11, 9, "metadata.name",
            "Service \"default/web\" is already defined at web.yaml:4:9"),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reports_the_error_where_it_is_with_what_is_allowed(string name)
    {
        var c = Cases.Single(c => c.Name == name);

        var result = Load(c.Yaml);

        Assert.Empty(result.Services);
        var error = Assert.Single(result.Errors, e => e.Path == c.Path);
        Assert.Equal(("web.yaml", c.Line, c.Column), (error.File, error.Line, error.Column));
        foreach (var fragment in c.Message) Assert.Contains(fragment, error.Message);
        Assert.DoesNotContain(" at YamlDotNet", error.Message);
    }

    [Fact]
    public void Error_reads_file_line_column_path_and_message()
    {
        var error = Assert.Single(Load(WithSpec("  replicas: three")).Errors);

        Assert.Equal("web.yaml:7:13 spec.replicas: must be a whole number >= 0, got \"three\"", error.ToString());
    }

    [Fact]
    public void Every_error_of_a_document_is_reported_at_once()
    {
        var yaml = WithSpec("  replicas: -1", "  resources: {cpu: lots, memory: 1Mi}", "  ports: [{containerPort: 0}]");

        var paths = Load(yaml).Errors.Select(e => e.Path);

        Assert.Equal(["spec.replicas", "spec.resources.cpu", "spec.resources.memory", "spec.ports[0].containerPort"], paths);
    }

    [Fact]
    public void Object_twice_across_files_names_the_first_file()
    {
        var result = Load(("a.yaml", Header), ("b.yaml", "# the same service again\n" + Header));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("b.yaml", 5, 9), (error.File, error.Line, error.Column));
        Assert.Equal("Service \"default/web\" is already defined at a.yaml:4:9", error.Message);
    }

    [Fact]
    public void Malformed_YAML_still_reports_errors_of_the_documents_before_it()
    {
        var yaml = WithSpec("  replicas: three") + "\n---\n" + "kind: [unclosed";

        var errors = Load(yaml).Errors;

        Assert.Collection(errors,
            e => Assert.Equal("spec.replicas", e.Path),
            e => Assert.StartsWith("invalid YAML: ", e.Message));
    }
}
