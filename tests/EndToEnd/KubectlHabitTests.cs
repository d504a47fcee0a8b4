using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>The kubectl habits `orc` takes, against a real control plane, agent and engine.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class KubectlHabitTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task Yaml_and_json_output_apply_back_unchanged_for_every_manifest_of_the_repo_and_the_tests()
    {
        var manifests = Manifests();
        Assert.True(manifests.Count >= 8, $"only {manifests.Count} manifests found");
        // A round trip needs nothing to run: with the only node cordoned no container starts, which keeps this quick.
        Assert.Equal(0, (await cluster.Orc("node", "cordon", cluster.NodeName)).ExitCode);
        try
        {
            foreach (var (name, yaml) in manifests)
            {
                var path = cluster.Manifest(name, yaml);
                // A manifest that uses a Secret or Config of another file of the repo (kv-front.yaml reads kv.yaml's) is
                // applied and deleted with that file, as one would.
                string[] files = ["-f", path, .. DefiningFiles(name, yaml, manifests).SelectMany(f => new[] { "-f", cluster.Manifest(f.Name, f.Yaml) })];
                var apply = await cluster.Orc(["apply", .. files]);
                Assert.True(apply.ExitCode == 0, $"{name}: {apply}");
                // The round trips only read and apply back unchanged objects, so they run side by side (each is two orc processes).
                var roundTrips = from service in ManifestLoader.Load([new ManifestFile { Name = name, Content = yaml }]).Services
                                 from format in new[] { "yaml", "json" }
                                 select RoundTripAsync(name, service.Metadata.Namespace, service.Metadata.Name, format);
                await Task.WhenAll(roundTrips);
                var delete = await cluster.Orc(["delete", .. files]);
                Assert.True(delete.ExitCode == 0, $"{name}: {delete}");
            }
        }
        finally
        {
            await cluster.Orc("node", "uncordon", cluster.NodeName);
        }
    }

    /// <summary>The other manifests that define the Secrets and Configs <paramref name="yaml"/> refers to but does not define.</summary>
    private static IEnumerable<(string Name, string Yaml)> DefiningFiles(string name, string yaml, List<(string Name, string Yaml)> all)
    {
        static LoadResult Load(string name, string yaml) => ManifestLoader.Load([new ManifestFile { Name = name, Content = yaml }]);
        static HashSet<(string, string, string)> Defined(LoadResult r) =>
        [
            .. r.Secrets.Select(o => (DataKinds.Secret, o.Metadata.Namespace, o.Metadata.Name)),
            .. r.Configs.Select(o => (DataKinds.Config, o.Metadata.Namespace, o.Metadata.Name)),
        ];
        var own = Load(name, yaml);
        var missing = own.References.Select(r => (r.Kind, r.Namespace, r.Name)).Except(Defined(own)).ToHashSet();
        return missing.Count == 0 ? [] : all.Where(m => m.Name != name && Defined(Load(m.Name, m.Yaml)).Overlaps(missing));
    }

    private async Task RoundTripAsync(string name, string ns, string svc, string format)
    {
        var shown = await cluster.Orc("get", $"svc/{svc}", "-n", ns, "-o", format);
        Assert.True(shown.ExitCode == 0, $"{name} -o {format}: {shown}");
        var back = await cluster.OrcWithInput(shown.Stdout, "apply", "-f", "-");
        Assert.True(back.ExitCode == 0 && back.Stdout == $"service/{svc} unchanged\n", $"{name} -o {format}:\n{shown.Stdout}\n{back}");
    }

    [Fact]
    public async Task Delete_wait_returns_when_no_container_of_the_service_is_left()
    {
        // Each replica takes 3 s to stop after SIGTERM (the image says SIGKILL), so a delete that did not wait would return while they run.
        var manifest = cluster.Manifest("slow-stop.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: slow-stop
            spec:
              image: local/busybox:1
              command: [sh, -c, 'trap "sleep 3; exit 0" TERM; while true; do sleep 1; done']
              replicas: 2
              resources: {cpu: 50m, memory: 16Mi}
              stopGracePeriod: 20s
              stopSignal: SIGTERM
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/slow-stop")).Count == 2, TimeSpan.FromSeconds(20), "2 replicas");

        var delete = await cluster.Orc("delete", "svc/slow-stop", "--wait", "--timeout", "60s");

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.EndsWith("service/slow-stop: no container left\n", delete.Stdout);
        Assert.Empty(await cluster.RunningContainersAsync("default/slow-stop"));
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Logs_follow_stopped_by_a_signal_exits_0_quietly(string signal)
    {
        var manifest = cluster.Manifest($"ticker-{signal}.yaml", $$"""
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: ticker-{{signal.ToLowerInvariant()}}
            spec:
              image: local/busybox:1
              command: [sh, -c, 'while true; do echo tick; sleep 1; done']
              replicas: 1
              resources: {cpu: 50m, memory: 16Mi}
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
        var service = $"ticker-{signal.ToLowerInvariant()}";
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync($"default/{service}")).Count == 1, TimeSpan.FromSeconds(20), "the ticker");

        var follow = await OrcCli.RunUntilSignalAsync(cluster.Tls, cluster.ApiUrl, TimeSpan.FromSeconds(4), signal, ["logs", service, "-f"]);

        Assert.True(follow.ExitCode == 0 && follow.Stderr == "", follow.ToString());
        Assert.Contains("tick", follow.Stdout);
        await cluster.Orc("delete", $"svc/{service}");
    }

    [Fact]
    public async Task Version_names_the_server_and_filters_name_what_does_not_exist()
    {
        var version = await cluster.Orc("version");
        var noService = await cluster.Orc("get", "pods", "--service", "nosuch");
        var noNode = await cluster.Orc("get", "po", "--node", "nosuch");

        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches($@"^Client: orc \S+\nServer: \S+ at {Regex.Escape(cluster.ApiUrl)}\n$", version.Stdout);
        Assert.Equal((1, "error: service \"nosuch\" not found in any namespace\n"), (noService.ExitCode, noService.Stderr));
        Assert.Equal((1, "error: node \"nosuch\" not found\n"), (noNode.ExitCode, noNode.Stderr));
    }

    [Fact]
    public async Task Get_watch_shows_a_scale_within_2_seconds()
    {
        var manifest = cluster.Manifest("watched.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: watched
            spec:
              image: local/busybox:1
              command: [sleep, '3600']
              replicas: 1
              resources: {cpu: 50m, memory: 16Mi}
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Repo.Program("Cli", "orc.dll"), "get", "svc", "watched", "-w" }) psi.ArgumentList.Add(a);
        foreach (var (key, value) in Credentials.OrcEnvironment(cluster.ApiUrl)) psi.Environment[key] = value;
        using var watch = System.Diagnostics.Process.Start(psi)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<(TimeSpan At, string Line)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reading = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line) lines.Enqueue((clock.Elapsed, line));
        });
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(lines.Any(l => l.Line.StartsWith("default "))), TimeSpan.FromSeconds(20), "the watch's first list");

            var scaledAt = clock.Elapsed;
            var scale = await cluster.Http.PutAsJsonAsync("/api/v1/namespaces/default/services/watched/scale", new ScaleRequest { Replicas = 4 }, Json.Options);
            scale.EnsureSuccessStatusCode();
            await Wait.UntilAsync(() => Task.FromResult(lines.Any(l => Regex.IsMatch(l.Line, @"^default +watched +\S+ +4 "))), TimeSpan.FromSeconds(10), "the scale in the watch");

            var seen = lines.First(l => Regex.IsMatch(l.Line, @"^default +watched +\S+ +4 ")).At - scaledAt;
            Assert.True(seen < TimeSpan.FromSeconds(2), $"the watch showed the scale {seen.TotalMilliseconds:0} ms after it");
            Measurements.Record($"orc get svc -w showed a scale {seen.TotalMilliseconds:0} ms after the scale request");
        }
        finally
        {
            watch.Kill();
            await watch.WaitForExitAsync();
            await reading;
            await cluster.Orc("delete", "svc/watched");
        }
    }

    [Fact]
    public async Task Diff_names_the_change_and_what_it_would_do_and_writes_nothing()
    {
        const string v1 = """
            apiVersion: orchestrator/v1
            kind: Service
            metadata:
              name: diffed
            spec:
              image: local/busybox:1
              command: [sleep, '3600']
              replicas: 1
              resources: {cpu: 50m, memory: 16Mi}
            """;
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("diffed-1.yaml", v1))).ExitCode);
        var v2 = cluster.Manifest("diffed-2.yaml", v1.Replace("replicas: 1", "replicas: 3").Replace("'3600'", "'7200'"));

        var diff = await cluster.Orc("diff", "-f", v2);
        var dryRun = await cluster.Orc("apply", "--dry-run", "-f", v2);
        var same = await cluster.Orc("diff", "-f", cluster.Manifest("diffed-1b.yaml", v1));

        Assert.True(diff.ExitCode == 1, diff.ToString());
        Assert.StartsWith("--- service/diffed (live)\n+++ service/diffed (manifest)\n@@ ", diff.Stdout);
        foreach (var line in new[] { "-  - \"3600\"", "+  - \"7200\"", "-  replicas: 1", "+  replicas: 3", "# scale 1 -> 3",
                     "# 1 replica(s) will be replaced by a rolling update (start-first, maxSurge 25%, maxUnavailable 25%)" })
            Assert.Contains(line + "\n", diff.Stdout);
        Assert.Contains("service/diffed configured (dry run)\n  scale 1 -> 3\n", dryRun.Stdout);
        Assert.Equal((0, ""), (same.ExitCode, same.Stdout));
        var stored = await cluster.Orc("get", "svc/diffed", "-o", "jsonpath={.spec.replicas}");
        Assert.Equal("1\n", stored.Stdout);
        await cluster.Orc("delete", "svc/diffed");
    }

    [Fact]
    public async Task Describe_node_shows_what_the_agent_reports()
    {
        var describe = await cluster.Orc("describe", "node", cluster.NodeName);

        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Contains($"Name:         {cluster.NodeName}\n", describe.Stdout);
        Assert.Matches(@"In use:       cpu=\d+m \(\d+%\) memory=\d+Mi", describe.Stdout);
        Assert.Matches(@"  Ready +Ready ", describe.Stdout);
    }

    [Fact]
    public async Task Completion_for_bash_loads_and_completes_types_and_flags()
    {
        var script = await cluster.Orc("completion", "bash");
        Assert.True(script.ExitCode == 0, script.ToString());
        var path = cluster.Manifest("orc-completion.bash", script.Stdout);

        // What bash does on TAB: fill COMP_WORDS and COMP_CWORD, call the function `complete -p orc` names.
        var complete = await ProcessRunner.RunAsync("bash", ["-c", $$"""
            set -e
            source '{{path}}'
            fn=$(complete -p orc | sed -E 's/.*-F ([^ ]+) orc$/\1/')
            COMP_WORDS=(orc get s); COMP_CWORD=2; $fn; echo "${COMPREPLY[*]}"
            COMP_WORDS=(orc -s http://x get pods --se); COMP_CWORD=5; $fn; echo "${COMPREPLY[*]}"
            COMP_WORDS=(orc scale svc web --rep); COMP_CWORD=4; $fn; echo "${COMPREPLY[*]}"
            """]);

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal(["services service svc secrets secret", "--selector --service --server", "--replicas"], complete.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Completion_for_zsh_loads_through_bashcompinit_and_completes_types_and_flags()
    {
        var script = await cluster.Orc("completion", "zsh");
        Assert.True(script.ExitCode == 0, script.ToString());
        var path = cluster.Manifest("orc-completion.zsh", script.Stdout);

        // What zsh does on TAB for a bash-style completion: bashcompinit's compgen calls the function under sh emulation
        // (arrays from 0), and zsh keeps the words that start with what was typed.
        var complete = await ProcessRunner.RunAsync("zsh", ["-c", $$"""
            autoload -U +X compinit && compinit -u
            source '{{path}}'
            t() { local -a words=("$@"); local CURRENT=$#; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ));
                  compgen -F _orc -- "${@[-1]}" | grep -- "^${@[-1]}" | tr '\n' ' '; echo; }
            t orc get s; t orc -s http://x get pods --se; t orc scale svc web --rep
            """]);

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal(["services service svc secrets secret", "--selector --service --server", "--replicas"], complete.Stdout.TrimEnd('\n').Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public async Task Completion_for_fish_loads_and_completes_types_and_flags()
    {
        var script = await cluster.Orc("completion", "fish");
        Assert.True(script.ExitCode == 0, script.ToString());
        var path = cluster.Manifest("orc-completion.fish", script.Stdout);

        // fish's own `complete -C` answers what TAB would offer for a command line.
        var complete = await ProcessRunner.RunAsync("fish", ["-c", $$"""
            source '{{path}}'
            for line in 'orc get s' 'orc -s http://x get pods --se' 'orc scale svc web --rep'
                echo (complete -C $line)
            end
            """]);

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal(["secret secrets service services svc", "--selector --server --service", "--replicas"], complete.Stdout.TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// Every manifest in manifests/ and every valid one the end-to-end tests write (their raw string literals that load
    /// as Services), plus one that sets every optional block, so each field and enum goes through the round trip.
    /// </summary>
    private static List<(string Name, string Yaml)> Manifests()
    {
        var found = Directory.GetFiles(Path.Combine(Repo.Root, "manifests"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "tests", "EndToEnd"), "*.cs").Order(StringComparer.Ordinal))
        {
            var i = 0;
            foreach (Match m in RawString().Matches(File.ReadAllText(file)))
            {
                var yaml = Dedent(m.Groups["body"].Value, m.Groups["indent"].Value.Length);
                if (yaml.Contains("kind: Service") && ManifestLoader.Load([new ManifestFile { Name = "x", Content = yaml }]).Ok)
                    found.Add(($"{Path.GetFileNameWithoutExtension(file)}-{++i}.yaml", yaml));
            }
        }
        found.Add(("everything.yaml", Everything));
        return found;
    }

    private static string Dedent(string body, int indent) =>
        string.Join('\n', body.Split('\n').Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

    /// <summary>A raw string literal that is not interpolated: `"""`, its lines, and the closing quotes' indentation.</summary>
    [GeneratedRegex("(?<![$\"])\"\"\"[ \\t]*\\n(?<body>.*?)\\n(?<indent>[ \\t]*)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawString();

    private const string Everything = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata:
          name: everything
          namespace: team-a
          labels: {app: everything, tier: back}
        spec:
          image: local/busybox:1
          command: [sh, -c]
          args: ['sleep 3600']
          env: {MODE: "1", NAME: every thing}
          replicas: 2
          resources: {cpu: 50m, memory: 16Mi}
          ports:
            - containerPort: 8080
              protocol: udp
              name: data
          restartPolicy:
            condition: on-failure
            maxAttempts: 3
            delay: 1s
            maxDelay: 30s
          livenessProbe:
            exec: {command: [true]}
            periodSeconds: 5
          readinessProbe:
            tcpSocket: {port: 8080}
          placement:
            strategy: binpack
            nodeSelector: {disk: ssd}
            constraints:
              - {key: zone, operator: In, values: [a, b]}
              - {key: gpu, operator: DoesNotExist}
            tolerations:
              - {key: dedicated, operator: Equal, value: db, effect: NoSchedule}
            maxPerNode: 1
            antiAffinity:
              preferred:
                - weight: 50
                  labelSelector: {app: everything}
                  topologyKey: node.name
            topologySpread:
              - {topologyKey: zone, maxSkew: 1}
          stopGracePeriod: 5s
          stopSignal: SIGINT
          updateStrategy:
            maxSurge: 1
            maxUnavailable: 0
            order: stop-first
            minReadySeconds: 2
            progressDeadline: 1m
            onFailure: rollback
        """;
}
