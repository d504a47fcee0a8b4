using System.Text;
using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>Compose files as our objects: every mapping of docs/compat.md, and every refusal at the file:line:column written.</summary>
[Trait("Category", "Unit")]
public class ComposeTranslationTests
{
    private static LoadResult Compose(string yaml, bool ignore = false, Func<string, string, FileContent>? read = null) =>
        ManifestLoader.Load([new ManifestFile { Name = "compose.yaml", Content = yaml }], new TranslationOptions { IgnoreUnsupported = ignore, ReadFile = read });

    private static ServiceObject Single(LoadResult result, string name)
    {
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Services.Single(s => s.Metadata.Name == name);
    }

    [Fact]
    public void Image_command_entrypoint_environment_ports_restart_and_hostname_map_to_the_spec()
    {
        var web = Single(Compose(Lines(
            "name: shop",
            "services:",
            "  web:",
            "    image: local/web:1",
            "    entrypoint: /bin/busybox httpd -f",
            "    command: [\"-p\", \"8080\"]",
            "    environment:",
            "      - GREETING=hello world",
            "      - EMPTY=",
            "    ports:",
            "      - \"8080\"",
            "      - 9090/udp",
            "      - {target: 7070, published: 7070, mode: host, protocol: tcp}",
            "    restart: on-failure:3",
            "    hostname: front",
            "    stop_grace_period: 90s",
            "    stop_signal: SIGINT",
            "    user: \"1000:2000\"",
            "    read_only: true",
            "    cap_drop: [ALL]",
            "    cap_add: [NET_BIND_SERVICE]",
            "    depends_on: [db]",
            "    networks: [frontend]",
            "  db:",
            "    image: local/busybox:1",
            "    command: sh -c 'sleep \"1 000\"'",
            "    environment: {PASSWORD: s3cret, PORT: 5432}",
            "    restart: \"no\"",
            "networks:",
            "  frontend:",
            "version: \"3.9\"",
            "x-note: ignored")), "web");

        Assert.Equal("local/web:1", web.Spec.Image);
        Assert.Equal(["/bin/busybox", "httpd", "-f"], web.Spec.Command!);
        Assert.Equal(["-p", "8080"], web.Spec.Args!);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hello world", ["EMPTY"] = "" }, web.Spec.Env);
        Assert.Equal([(8080, (int?)null, "tcp"), (9090, null, "udp"), (7070, 7070, "tcp")], web.Spec.Ports.Select(p => (p.ContainerPort, p.HostPort, p.Protocol)));
        Assert.Equal((RestartCondition.OnFailure, 3), (web.Spec.RestartPolicy!.Condition, web.Spec.RestartPolicy.MaxAttempts));
        Assert.Equal(("front", "1m30s", "SIGINT"), (web.Spec.Hostname, web.Spec.StopGracePeriod, web.Spec.StopSignal));
        Assert.Equal("shop", web.Metadata.Labels[ComposeServiceLabel]);
        var security = web.Spec.SecurityContext!;
        Assert.Equal((1000L, 2000L, true), (security.RunAsUser, security.RunAsGroup, security.ReadOnlyRootFilesystem));
        Assert.Equal(["NET_BIND_SERVICE"], security.Capabilities!.Add);
        Assert.Equal(["ALL"], security.Capabilities.Drop);

        var db = Single(Compose(Lines("services:", "  db:", "    image: local/busybox:1", "    command: sh -c 'sleep \"1 000\"'",
            "    environment: {PASSWORD: s3cret, PORT: 5432}", "    restart: \"no\"")), "db");
        Assert.Equal(["sh", "-c", "sleep \"1 000\""], db.Spec.Args!);
        Assert.Equal("5432", db.Spec.Env["PORT"]);
        Assert.Equal(RestartCondition.Never, db.Spec.RestartPolicy!.Condition);
    }

    private const string ComposeServiceLabel = "com.docker.compose.project";

    [Fact]
    public void Deploy_maps_replicas_resources_update_config_placement_restart_policy_and_labels()
    {
        var web = Single(Compose(Lines(
            "services:",
            "  web:",
            "    image: local/web:1",
            "    deploy:",
            "      mode: replicated",
            "      replicas: 4",
            "      labels: [tier=front]",
            "      resources:",
            "        limits: {cpus: \"0.5\", memory: 50M, pids: 100}",
            "        reservations: {cpus: \"0.25\", memory: 20M}",
            "      update_config: {parallelism: 2, order: start-first, failure_action: pause, delay: 5s, monitor: 10s}",
            "      placement:",
            "        constraints: [node.labels.zone == a, \"node.hostname != n3\"]",
            "        max_replicas_per_node: 2",
            "      restart_policy: {condition: on-failure, delay: 2s, max_attempts: 5}",
            "    healthcheck:",
            "      test: [\"CMD-SHELL\", \"wget -q -O- http://127.0.0.1:8080/\"]",
            "      interval: 5s",
            "      timeout: 2s",
            "      retries: 4",
            "      start_period: 1m")), "web");

        Assert.Equal(4, web.Spec.Replicas);
        Assert.Equal("front", web.Metadata.Labels["tier"]);
        Assert.Equal(("500m", "50Mi", (long?)100), (web.Spec.Resources.Cpu, web.Spec.Resources.Memory, web.Spec.Resources.Pids));
        var update = web.Spec.UpdateStrategy!;
        Assert.Equal((UpdateOrder.StartFirst, "2", "0", FailureAction.Pause, 10),
            (update.Order, update.MaxSurge, update.MaxUnavailable, update.OnFailure, update.MinReadySeconds));
        var placement = web.Spec.Placement!;
        Assert.Equal(2, placement.MaxPerNode);
        Assert.Equal([("zone", "In", "a"), ("node.name", "NotIn", "n3")],
            placement.Constraints.Select(c => (c.Key, c.Operator.ToString(), c.Values.Single())));
        Assert.Equal((RestartCondition.OnFailure, 5, "2s"), (web.Spec.RestartPolicy!.Condition, web.Spec.RestartPolicy.MaxAttempts, web.Spec.RestartPolicy.Delay));
        var probe = web.Spec.ReadinessProbe!;
        Assert.Equal(["sh", "-c", "wget -q -O- http://127.0.0.1:8080/"], probe.Exec!.Command);
        Assert.Equal((5, 2, 4, 60), (probe.PeriodSeconds, probe.TimeoutSeconds, probe.FailureThreshold, probe.InitialDelaySeconds));
    }

    [Fact]
    public void Stop_first_is_swarms_default_order_and_a_healthcheck_can_be_a_command_or_disabled()
    {
        var result = Compose(Lines(
            "services:",
            "  a:",
            "    image: local/web:1",
            "    deploy: {update_config: {parallelism: 0}}",
            "    healthcheck: {test: [\"CMD\", \"true\"]}",
            "  b:",
            "    image: local/web:1",
            "    healthcheck: {test: [\"CMD\", \"true\"], disable: true}",
            "  c:",
            "    image: local/web:1",
            "    healthcheck: {test: test -f /tmp/ok}"));

        var a = Single(result, "a");
        Assert.Equal((UpdateOrder.StopFirst, "100%", "0"), (a.Spec.UpdateStrategy!.Order, a.Spec.UpdateStrategy.MaxUnavailable, a.Spec.UpdateStrategy.MaxSurge));
        Assert.Equal(["true"], a.Spec.ReadinessProbe!.Exec!.Command);
        Assert.Null(Single(result, "b").Spec.ReadinessProbe);
        Assert.Equal(["sh", "-c", "test -f /tmp/ok"], Single(result, "c").Spec.ReadinessProbe!.Exec!.Command);
    }

    [Fact]
    public void Top_level_secrets_and_configs_become_objects_from_files_read_on_the_users_machine()
    {
        var asked = new List<(string, string)>();
        var result = Compose(Lines(
            "services:",
            "  web: {image: local/web:1}",
            "secrets:",
            "  db_password: {file: ./db.txt}",
            "  old: {external: true}",
            "configs:",
            "  site: {content: \"listen 8080\"}",
            "  app: {file: ./app.conf}"),
            read: (compose, path) => { asked.Add((compose, path)); return new FileContent(Encoding.UTF8.GetBytes("from " + path), null); });

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal([("compose.yaml", "./db.txt"), ("compose.yaml", "./app.conf")], asked);
        var secret = Assert.Single(result.Secrets);
        Assert.Equal("db-password", secret.Metadata.Name);
        Assert.Equal("from ./db.txt", Encoding.UTF8.GetString(Convert.FromBase64String(secret.Data["db_password"])));
        Assert.Equal(["listen 8080", "from ./app.conf"], result.Configs.OrderBy(c => c.Metadata.Name).Reverse().Select(c => c.Data.Single().Value));
    }

    [Theory]
    [InlineData("privileged", "    privileged: true", 4, 5, "services.a.privileged: privileged containers are refused")]
    [InlineData("network_mode host", "    network_mode: host", 4, 5, "services.a.network_mode: network_mode is refused")]
    [InlineData("build", "    build: ./a", 4, 5, "services.a.build: build is refused")]
    [InlineData("published short out of range", "    ports: [\"8080:8080\"]", 4, 13, "services.a.ports[0]: published port \"8080\" must be 30000 to 32767: it is opened on every node")]
    [InlineData("published long out of range", "    ports: [{target: 8080, published: 80}]", 4, 39, "services.a.ports[0].published: published port \"80\" must be 30000 to 32767")]
    [InlineData("published huge", "    ports: [\"99999999999999999999:8080\"]", 4, 13, "services.a.ports[0]: published port \"99999999999999999999\" must be 30000 to 32767")]
    [InlineData("published on an address", "    ports: [\"127.0.0.1:30080:8080\"]", 4, 13, "services.a.ports[0]: \"127.0.0.1:30080:8080\": a host address is not supported")]
    [InlineData("bind mount", "    volumes: [./data:/var/lib]", 4, 15, "services.a.volumes[0]: \"./data:/var/lib\": bind mounts are refused")]
    [InlineData("bind mount long", "    volumes: [{type: bind, source: /srv, target: /srv}]", 4, 22, "services.a.volumes[0].type: bind mounts are refused")]
    [InlineData("undeclared volume", "    volumes: [\"data:/var/lib\"]", 4, 15, "services.a.volumes[0]: there is no top-level volume \"data\"")]
    [InlineData("undeclared secret", "    secrets: [db]", 4, 15, "services.a.secrets[0]: there is no top-level secret \"db\"")]
    [InlineData("bad restart", "    restart: sometimes", 4, 14, "services.a.restart: must be one of no, always")]
    [InlineData("bad constraint", "    deploy: {placement: {constraints: [node.role == manager]}}", 4, 40, "services.a.deploy.placement.constraints[0]: \"node.role == manager\": only")]
    [InlineData("user name", "    user: postgres", 4, 11, "services.a.user: \"postgres\": only a numeric uid")]
    [InlineData("capability ours refuses", "    cap_add: [SYS_ADMIN]", 4, 15, "spec.securityContext.capabilities.add[0]: ")]
    [InlineData("unknown key", "    container_name: x", 4, 5, "services.a.container_name: \"container_name\" is not supported; supported here: image")]
    [InlineData("env from shell", "    environment: [HOME]", 4, 19, "services.a.environment[0]: \"HOME\" has no value")]
    [InlineData("our validator at the compose line", "    deploy: {replicas: many}", 4, 24, "spec.replicas: must be a whole number >= 0, got \"many\"")]
    [InlineData("probe seconds", "    healthcheck: {test: [\"CMD\", \"true\"], interval: 500ms}", 4, 52, "services.a.healthcheck.interval: must be a duration in whole seconds")]
    public void Refusals_and_errors_name_the_key_at_its_compose_line_and_column(string name, string line, int row, int column, string wanted)
    {
        var result = Compose(Lines("services:", "  a:", "    image: local/web:1", line));

        Assert.False(result.Ok, name);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("compose.yaml", row, column), (error.File, error.Line, error.Column));
        Assert.StartsWith(wanted, $"{error.Path}: {error.Message}");
    }

    [Fact]
    public void Ignore_unsupported_turns_unsupported_keys_into_warnings_but_refused_keys_stay_errors()
    {
        var yaml = Lines("services:", "  a:", "    image: local/web:1", "    container_name: x", "    labels: {a: b}", "  b:", "    image: local/web:1", "    privileged: true");

        var strict = Compose(yaml);
        Assert.Equal(3, strict.Errors.Count);
        var lenient = Compose(yaml, ignore: true);
        Assert.Equal(["compose.yaml:8:5 services.b.privileged: privileged containers are refused: they can take over the node"], lenient.Errors.Select(e => e.ToString()));
        Assert.Equal(["compose.yaml:4:5", "compose.yaml:5:5"], lenient.Warnings.Select(w => $"{w.File}:{w.Line}:{w.Column}"));
        Assert.All(lenient.Warnings, w => Assert.EndsWith("(ignored)", w.Message));

        var ok = Compose(Lines("services:", "  a:", "    image: local/web:1", "    container_name: x"), ignore: true);
        Assert.True(ok.Ok);
        Assert.Equal("local/web:1", Single(ok, "a").Spec.Image);
    }

    [Fact]
    public void The_server_cannot_read_a_secrets_file_and_says_who_can()
    {
        var result = Compose(Lines("services:", "  a: {image: local/web:1}", "secrets:", "  db: {file: ./db.txt}"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("compose.yaml:4:14 secrets.db.file: files are read by orc on your machine: apply this Compose file with orc apply -f or orc compose up -f", error.ToString());
    }

    [Fact]
    public void A_service_name_that_is_not_a_dns_label_is_reported_at_its_key()
    {
        var error = Assert.Single(Compose(Lines("services:", "  MyWeb:", "    image: local/web:1")).Errors);

        Assert.Equal(("compose.yaml", 2, 3, "metadata.name"), (error.File, error.Line, error.Column, error.Path));
    }

    [Fact]
    public void The_own_form_loads_back_to_the_same_objects()
    {
        // Its secret's file is read beside it, as orc does (the server cannot).
        var path = Path.Combine(ManifestFiles.RepositoryRoot(), "examples/compose/voting-app.yaml");
        var options = new TranslationOptions { ReadFile = (_, name) => new FileContent(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(path)!, name)), null) };
        var file = new ManifestFile { Name = "compose.yaml", Content = File.ReadAllText(path) };
        var direct = ManifestLoader.Load([file], options);
        Assert.True(direct.Ok, string.Join("\n", direct.Errors));
        Assert.True(ManifestTranslation.IsCompose(file));

        var own = ManifestTranslation.OwnForm(file, options);
        Assert.False(ManifestTranslation.IsForeign(own));
        var reloaded = ManifestLoader.Load([own]);

        Assert.True(reloaded.Ok, string.Join("\n", reloaded.Errors) + "\n" + own.Content);
        Assert.Equal(["db", "redis", "result", "vote", "worker"], direct.Services.Select(s => s.Metadata.Name).Order());
        Assert.Equal(Json.Serialize(direct.Services), Json.Serialize(reloaded.Services));
        Assert.Equal(Json.Serialize(direct.Secrets), Json.Serialize(reloaded.Secrets));
        // Its published port, named volume and secret.
        Assert.Equal(30500, reloaded.Services.Single(s => s.Metadata.Name == "vote").Spec.Ports.Single().PublishedPort);
        var db = reloaded.Services.Single(s => s.Metadata.Name == "db").Spec;
        Assert.Equal(["db-data:shared", "secret-postgres-password:secret"], db.Volumes!.Select(v => $"{v.Name}:{v.Kind}"));
        Assert.Equal("postgres-password", Assert.Single(reloaded.Secrets).Metadata.Name);
    }

    [Fact]
    public void The_refused_example_names_each_key_and_line()
    {
        var file = new ManifestFile { Name = "refused.yaml", Content = File.ReadAllText(Path.Combine(ManifestFiles.RepositoryRoot(), "examples/compose/refused.yaml")) };

        var errors = ManifestLoader.Load([file]).Errors.Select(e => $"{e.Line}:{e.Column} {e.Path}");

        Assert.Equal(["5:5 services.admin.privileged", "8:5 services.proxy.network_mode", "10:5 services.app.build", "10:5 services.app.image"], errors);
    }
}

/// <summary>Hostile Compose input: one document that would become more objects than an apply may hold.</summary>
[Trait("Category", "Unit")]
public class HostileComposeTests
{
    private static string Services(int count) =>
        "services:\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"  s{i}: {{image: local/web:1}}\n"));

    [Fact]
    public void More_services_than_an_apply_may_hold_are_refused_in_one_file_and_across_files()
    {
        var one = ManifestLoader.Load([new ManifestFile { Name = "big.yaml", Content = Services(ManifestLimits.MaxObjects + 1) }]);
        Assert.Equal("big.yaml:2:3 services: at most 500 services are allowed, got 501", Assert.Single(one.Errors).ToString());

        var two = ManifestLoader.Load([new ManifestFile { Name = "a.yaml", Content = Services(300) }, new ManifestFile { Name = "b.yaml", Content = Services(300).Replace("  s", "  t") }]);
        Assert.Equal("b.yaml:1:1: the apply holds more than 500 objects once b.yaml is translated; apply fewer at a time", Assert.Single(two.Errors).ToString());
        Assert.Empty(two.Services);
    }
}
