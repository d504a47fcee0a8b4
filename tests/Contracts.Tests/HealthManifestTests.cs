using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.restartPolicy, spec.livenessProbe and spec.readinessProbe: what loads, what it means, and every mistake.</summary>
[Trait("Category", "Unit")]
public class HealthManifestTests
{
    private static ServiceSpec Spec(params string[] specLines)
    {
        var result = Load(WithSpec(specLines));
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return Assert.Single(result.Services).Spec;
    }

    [Fact]
    public void Without_the_fields_nothing_is_set_and_the_container_hash_is_unchanged()
    {
        var spec = Spec();
        Assert.Null(spec.RestartPolicy);
        Assert.Null(spec.LivenessProbe);
        Assert.Null(spec.ReadinessProbe);
        Assert.DoesNotContain("restartPolicy", Json.Serialize(ContainerSpec.From(spec)));
    }

    [Theory]
    [InlineData("always", RestartCondition.Always)]
    [InlineData("on-failure", RestartCondition.OnFailure)]
    [InlineData("never", RestartCondition.Never)]
    public void Short_form_sets_the_condition_with_default_delays(string word, RestartCondition condition)
    {
        var policy = Spec($"  restartPolicy: {word}").RestartPolicy!;
        Assert.Equal(new RestartPolicy { Condition = condition }, policy);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayTime);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.MaxDelayTime);
    }

    [Fact]
    public void Long_form_reads_every_field_and_stores_durations_canonically()
    {
        var policy = Spec("  restartPolicy:", "    condition: on-failure", "    maxAttempts: 3", "    delay: 1500ms", "    maxDelay: 120s").RestartPolicy;
        Assert.Equal(new RestartPolicy { Condition = RestartCondition.OnFailure, MaxAttempts = 3, Delay = "1s500ms", MaxDelay = "2m" }, policy);
    }

    [Fact]
    public void Long_form_without_condition_means_always() =>
        Assert.Equal(RestartCondition.Always, Spec("  restartPolicy:", "    delay: 2s").RestartPolicy!.Condition);

    [Fact]
    public void Probes_read_every_handler_with_kubernetes_defaults()
    {
        var spec = Spec(
            "  livenessProbe:",
            "    exec: {command: [sh, -c, test -f /tmp/healthy]}",
            "  readinessProbe:",
            "    httpGet: {path: /ready, port: 8080}",
            "    initialDelaySeconds: 2",
            "    periodSeconds: 1",
            "    timeoutSeconds: 2",
            "    failureThreshold: 4",
            "    successThreshold: 2");
        Assert.Equal(["sh", "-c", "test -f /tmp/healthy"], spec.LivenessProbe!.Exec!.Command);
        Assert.Equal((0, 10, 1, 3, 1), (spec.LivenessProbe.InitialDelaySeconds, spec.LivenessProbe.PeriodSeconds,
            spec.LivenessProbe.TimeoutSeconds, spec.LivenessProbe.FailureThreshold, spec.LivenessProbe.SuccessThreshold));
        var ready = spec.ReadinessProbe!;
        Assert.Equal(new HttpGetAction { Path = "/ready", Port = 8080 }, ready.HttpGet);
        Assert.Equal((2, 1, 2, 4, 2), (ready.InitialDelaySeconds, ready.PeriodSeconds, ready.TimeoutSeconds, ready.FailureThreshold, ready.SuccessThreshold));
    }

    [Fact]
    public void Tcp_probe_and_http_default_path()
    {
        var spec = Spec("  livenessProbe:", "    tcpSocket: {port: 5432}", "  readinessProbe:", "    httpGet: {port: 80}");
        Assert.Equal(5432, spec.LivenessProbe!.TcpSocket!.Port);
        Assert.Equal("/", spec.ReadinessProbe!.HttpGet!.Path);
    }

    [Fact]
    public void The_fields_reach_the_container_spec_and_change_its_hash()
    {
        var spec = Spec("  restartPolicy: never", "  livenessProbe:", "    tcpSocket: {port: 80}", "  readinessProbe:", "    tcpSocket: {port: 81}");
        var container = ContainerSpec.From(spec);
        Assert.Equal(RestartCondition.Never, container.RestartPolicy!.Condition);
        Assert.Equal(80, container.LivenessProbe!.TcpSocket!.Port);
        Assert.Equal(81, container.ReadinessProbe!.TcpSocket!.Port);
        Assert.NotEqual(ContainerSpec.From(Spec()).Hash(), container.Hash());
    }

    [Fact]
    public void Written_manifest_loads_back_equal()
    {
        var service = Assert.Single(Load(WithSpec(
            "  restartPolicy: {condition: on-failure, maxAttempts: 2, delay: 500ms}",
            "  livenessProbe: {exec: {command: [\"true\"]}, periodSeconds: 1}",
            "  readinessProbe: {httpGet: {path: /, port: 8080}, successThreshold: 3}")).Services);
        var yaml = ManifestYaml.Write(service);
        var again = Load(yaml);
        Assert.True(again.Ok, yaml + string.Join("\n", again.Errors));
        Assert.True(Json.SameContent(service, Assert.Single(again.Services)), yaml);
    }

    [Fact]
    public void Probe_describes_itself_for_a_person()
    {
        Assert.Equal("exec [sh -c true]", new Probe { Exec = new() { Command = ["sh", "-c", "true"] } }.Describe());
        Assert.Equal("http-get :8080/", new Probe { HttpGet = new() { Port = 8080 } }.Describe());
        Assert.Equal("tcp-socket :80", new Probe { TcpSocket = new() { Port = 80 } }.Describe());
    }

    /// <param name="Message">Fragments the message must contain.</param>
    public sealed record Case(string Name, string[] SpecLines, int Line, int Column, string Path, params string[] Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Errors => new()
    {
        new("condition unknown", ["  restartPolicy: sometimes"], 7, 18, "spec.restartPolicy",
            "must be one of always, on-failure, never, got \"sometimes\""),
        new("condition with underscore", ["  restartPolicy: on_failure"], 7, 18, "spec.restartPolicy",
            "got \"on_failure\" (did you mean \"on-failure\"?)"),
        new("restartPolicy a list", ["  restartPolicy: [always]"], 7, 18, "spec.restartPolicy",
            "must be one of always, on-failure, never, or a mapping with fields condition, maxAttempts, delay, maxDelay, got a list"),
        new("long condition unknown", ["  restartPolicy:", "    condition: Always"], 8, 16, "spec.restartPolicy.condition",
            "must be one of always, on-failure, never, got \"Always\" (did you mean \"always\"?)"),
        new("unknown policy field", ["  restartPolicy:", "    retries: 3"], 8, 5, "spec.restartPolicy.retries",
            "unknown field \"retries\"; allowed: condition, maxAttempts, delay, maxDelay"),
        new("maxAttempts negative", ["  restartPolicy:", "    condition: on-failure", "    maxAttempts: -1"], 9, 18, "spec.restartPolicy.maxAttempts",
            "must be a whole number from 0", "got \"-1\""),
        new("maxAttempts with always", ["  restartPolicy:", "    maxAttempts: 3"], 8, 18, "spec.restartPolicy.maxAttempts",
            "applies only to condition on-failure, not always"),
        new("delay without unit", ["  restartPolicy:", "    delay: 5"], 8, 12, "spec.restartPolicy.delay",
            "must be a duration: a whole number with a unit ms, s, m or h", "got \"5\""),
        new("delay zero", ["  restartPolicy:", "    delay: 0s"], 8, 12, "spec.restartPolicy.delay", "must be more than 0, got \"0s\""),
        new("maxDelay below delay", ["  restartPolicy:", "    delay: 10s", "    maxDelay: 5s"], 9, 15, "spec.restartPolicy.maxDelay",
            "must be at least delay (10s), got \"5s\""),
        new("probe without handler", ["  livenessProbe:", "    periodSeconds: 5"], 8, 5, "spec.livenessProbe",
            "required: exactly one of exec, httpGet, tcpSocket"),
        new("probe with two handlers", ["  livenessProbe:", "    exec: {command: [\"true\"]}", "    tcpSocket: {port: 80}"], 9, 16, "spec.livenessProbe.tcpSocket",
            "only one handler is allowed (exactly one of exec, httpGet, tcpSocket); exec is already set"),
        new("probe a scalar", ["  readinessProbe: http"], 7, 19, "spec.readinessProbe",
            "must be a mapping with fields exec, httpGet, tcpSocket, initialDelaySeconds"),
        new("unknown probe field close to one allowed", ["  livenessProbe:", "    tcpSocket: {port: 80}", "    periodSecond: 5"], 9, 5,
            "spec.livenessProbe.periodSecond", "(did you mean \"periodSeconds\"?)"),
        new("periodSeconds zero", ["  livenessProbe:", "    tcpSocket: {port: 80}", "    periodSeconds: 0"], 9, 20, "spec.livenessProbe.periodSeconds",
            "must be a whole number from 1 to 3600, got \"0\""),
        new("timeoutSeconds zero", ["  readinessProbe:", "    tcpSocket: {port: 80}", "    timeoutSeconds: 0"], 9, 21, "spec.readinessProbe.timeoutSeconds",
            "must be a whole number from 1 to 3600"),
        new("failureThreshold zero", ["  readinessProbe:", "    tcpSocket: {port: 80}", "    failureThreshold: 0"], 9, 23, "spec.readinessProbe.failureThreshold",
            "must be a whole number from 1 to 3600"),
        new("initialDelaySeconds negative", ["  readinessProbe:", "    tcpSocket: {port: 80}", "    initialDelaySeconds: -5"], 9, 26,
            "spec.readinessProbe.initialDelaySeconds", "must be a whole number from 0 to 3600"),
        new("liveness successThreshold above 1", ["  livenessProbe:", "    tcpSocket: {port: 80}", "    successThreshold: 2"], 9, 23,
            "spec.livenessProbe.successThreshold", "must be 1 for a liveness probe (only a readiness probe may ask for more), got 2"),
        new("exec command a string", ["  livenessProbe:", "    exec: {command: test -f /tmp/x}"], 8, 21, "spec.livenessProbe.exec.command",
            "must be a list of strings", "write a single value as a one-element list"),
        new("exec command empty", ["  livenessProbe:", "    exec: {command: []}"], 8, 21, "spec.livenessProbe.exec.command",
            "must name a program to run, got an empty list"),
        new("exec command missing", ["  livenessProbe:", "    exec: {}"], 8, 11, "spec.livenessProbe.exec.command",
            "required: a list of strings"),
        new("http port missing", ["  readinessProbe:", "    httpGet: {path: /}"], 8, 14, "spec.readinessProbe.httpGet.port",
            "required: a port number from 1 to 65535"),
        new("http port out of range", ["  readinessProbe:", "    httpGet: {port: 70000}"], 8, 21, "spec.readinessProbe.httpGet.port",
            "must be a whole number from 1 to 65535, got \"70000\""),
        new("http named port", ["  readinessProbe:", "    httpGet: {port: http}"], 8, 21, "spec.readinessProbe.httpGet.port",
            "must be a whole number from 1 to 65535, got \"http\""),
        new("http path without slash", ["  readinessProbe:", "    httpGet: {path: healthz, port: 80}"], 8, 21, "spec.readinessProbe.httpGet.path",
            "must be a path starting with '/'", "got \"healthz\""),
        new("unknown http field", ["  readinessProbe:", "    httpGet: {port: 80, scheme: HTTPS}"], 8, 25, "spec.readinessProbe.httpGet.scheme",
            "unknown field \"scheme\"; allowed: path, port"),
        new("tcp port quoted", ["  livenessProbe:", "    tcpSocket: {port: \"80\"}"], 8, 23, "spec.livenessProbe.tcpSocket.port",
            "write the number without quotes"),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Reports_the_error_where_it_is_with_what_is_allowed(Case c) => AssertReported(c);

    /// <summary>The spec lines load to nothing and to exactly the one error the case names, where it says.</summary>
    public static void AssertReported(Case c)
    {
        var result = Load(WithSpec(c.SpecLines));
        Assert.Empty(result.Services);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("web.yaml", c.Line, c.Column, c.Path), (error.File, error.Line, error.Column, error.Path));
        foreach (var fragment in c.Message) Assert.Contains(fragment, error.Message);
    }
}
