using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// A service using a secret and a config on a real engine: the replica reads the secret from env and from
/// /run/secrets/NAME/KEY on tmpfs; the assignment carries references and the agent fetches the values through the
/// node-restricted route (another node's credential, an admin, or this node for a secret it does not use: 403); a
/// missing reference is refused at file:line:column, an optional one applies; a changed secret rolls the service out
/// with a revision naming it, and the new replica keeps the slot's persistent volume beside its secret volume; and the value appears in no etcd byte, API answer, orc output, event, log or stream.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SecretUseTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string Old = "e2e-use-Q7zr1", New = "e2e-use-Mw30x";

    private static void AssertNoValue(string where, string text) => SecretValueCheck.AssertAbsent(where, text, Old, New);

    private static string Service(string secretName = "app-db") => $"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {"{"}name: reader{"}"}
        spec:
          image: local/busybox:1
          command: ["sleep", "3600"]
          resources: {"{"}memory: 16Mi{"}"}
          env:
          - name: DB_PASSWORD
            valueFrom:
              secretKeyRef: {"{"}name: {secretName}, key: password{"}"}
          - name: GREETING
            valueFrom:
              configKeyRef: {"{"}name: app-conf, key: greeting{"}"}
          - name: MAYBE
            valueFrom:
              secretKeyRef: {"{"}name: not-there, key: x, optional: true{"}"}
          volumes:
          - name: db
            secret: {"{"}secretName: {secretName}{"}"}
          - name: conf
            config: {"{"}name: app-conf{"}"}
          - name: data
            persistent: {"{"}reclaimPolicy: Delete{"}"}
          volumeMounts:
          - {"{"}name: conf, mountPath: /etc/app, readOnly: true{"}"}
          - {"{"}name: data, mountPath: /data{"}"}
        """;

    [Fact]
    public async Task A_replica_reads_a_secret_only_on_its_node_on_tmpfs_and_a_change_rolls_it_out()
    {
        var outputs = new List<(string Where, string Text)>();
        async Task<CommandResult> Orc(params string[] args)
        {
            var result = await cluster.Orc(args);
            outputs.Add(($"orc {string.Join(' ', args)}", result.Stdout + result.Stderr));
            return result;
        }
        Assert.Equal(0, (await Orc("create", "secret", "app-db", "--from-literal", $"password={Old}")).ExitCode);
        Assert.Equal(0, (await Orc("create", "secret", "unused", "--from-literal", "k=v")).ExitCode);
        Assert.Equal(0, (await Orc("create", "config", "app-conf", "--from-literal", "greeting=hello")).ExitCode);

        // A reference to a secret that does not exist: refused where it is written, nothing applied.
        var missing = await Orc("apply", "-f", cluster.Manifest("missing.yaml", Service("nope")));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("missing.yaml:11:28", missing.Stderr);
        Assert.Contains("secret default/nope does not exist", missing.Stderr);
        Assert.Null(await cluster.TryGetAsync<ServiceObject>("/api/v1/namespaces/default/services/reader"));

        // The optional reference to not-there applies; the others exist.
        var applied = await Orc("apply", "-f", cluster.Manifest("reader.yaml", Service()));
        Assert.True(applied.ExitCode == 0, applied.Stderr);
        var first = await RunningAsync(Old);
        var read = await cluster.Docker.ExecAsync(first, "sh", "-c",
            "echo env=$DB_PASSWORD; echo file=$(cat /run/secrets/app-db/password); echo conf=$(cat /etc/app/greeting); echo greeting=$GREETING; echo maybe=${MAYBE-unset}; grep ' /run/secrets/app-db ' /proc/mounts; echo kept > /data/kept");
        Assert.True(read.ExitCode == 0, read.Stderr);
        Assert.Contains($"env={Old}\n", read.Stdout);
        Assert.Contains($"file={Old}\n", read.Stdout);
        Assert.Contains("conf=hello\ngreeting=hello\nmaybe=unset\n", read.Stdout);
        Assert.Matches(@"^tmpfs /run/secrets/app-db tmpfs ro[, ]", read.Stdout.Split('\n').Single(l => l.Contains("/run/secrets/app-db")));
        // docker inspect: the secret's folder is a read-only bind of the agent's tmpfs folder for this replica.
        var source = await cluster.Docker.InspectFieldAsync(first, "{{range .Mounts}}{{if eq .Destination \"/run/secrets/app-db\"}}{{.Source}} {{.RW}}{{end}}{{end}}");
        Assert.EndsWith(" false", source);
        var folder = source[..source.IndexOf(' ')];
        Assert.Equal("tmpfs", new DriveInfo(folder).DriveFormat);
        Assert.StartsWith($"/dev/shm/orchestrator/{cluster.RunId}/{cluster.NodeName}/", folder);

        // Node restriction: another node, an admin, and this node for a secret none of its replicas uses are refused.
        var joinToken = await Credentials.JoinTokenAsync(cluster.ApiUrl);
        using var anonymous = cluster.Tls.ApiClient(cluster.ApiUrl, TimeSpan.FromSeconds(10));
        using var joinRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/nodes/bystander/join") { Content = JsonContent.Create(new { }) };
        joinRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", joinToken);
        using var joined = await anonymous.SendAsync(joinRequest);
        joined.EnsureSuccessStatusCode();
        var bystander = (await joined.Content.ReadFromJsonAsync<IssuedToken>(Json.Options))!.Token;
        var self = File.ReadAllText(Path.Combine(cluster.WorkDir, "agent-state", "node.credential")).Trim();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(bystander, "/api/v1/nodes/bystander/secrets/default/app-db"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(bystander, $"/api/v1/nodes/{cluster.NodeName}/secrets/default/app-db"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(self, $"/api/v1/nodes/{cluster.NodeName}/secrets/default/unused"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(null, $"/api/v1/nodes/{cluster.NodeName}/secrets/default/app-db"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(self, $"/api/v1/nodes/{cluster.NodeName}/secrets/default/app-db"));
        var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events") ?? [];
        Assert.Contains(events, e => e is { Reason: "Forbidden", Object: "Node/bystander" } && e.Message.Contains("app-db"));
        Assert.Contains(events, e => e.Reason == "Forbidden" && e.Object == $"Node/{cluster.NodeName}" && e.Message.Contains("unused"));
        var ownStream = await StreamAsync(self, cluster.NodeName);
        Assert.Contains("secretKeyRef", ownStream);
        var bystanderStream = await StreamAsync(bystander, "bystander");

        // The secret changes: the service gets a revision naming it and its new replica reads the new value.
        var changed = await Orc("apply", "-f", cluster.Manifest("app-db.yaml", $"""
            apiVersion: orchestrator/v1
            kind: Secret
            metadata: {"{"}name: app-db{"}"}
            stringData: {"{"}password: {New}{"}"}
            """));
        Assert.Equal("secret/app-db configured\nservice/reader configured\n", changed.Stdout);
        var second = await RunningAsync(New);
        Assert.NotEqual(first, second);
        // The new replica of the slot has the new secret file and the persistent volume the old one wrote to.
        Assert.Contains($"file={New}\ndata=kept\n", (await cluster.Docker.ExecAsync(second, "sh", "-c", "echo file=$(cat /run/secrets/app-db/password); echo data=$(cat /data/kept)")).Stdout);
        Assert.Matches(@"^orc\.default\.reader\.data\.1 true$", await cluster.Docker.InspectFieldAsync(second, "{{range .Mounts}}{{if eq .Destination \"/data\"}}{{.Name}} {{.RW}}{{end}}{{end}}"));
        Assert.Contains("secret app-db changed", (await Orc("rollout", "history", "reader")).Stdout);
        // Applying the same files again changes nothing.
        Assert.Equal("service/reader unchanged\n", (await Orc("apply", "-f", cluster.Manifest("reader.yaml", Service()))).Stdout);

        foreach (var args in new[] { new[] { "get", "svc", "reader", "-o", "yaml" }, ["get", "svc", "reader", "-o", "json"], ["describe", "svc", "reader"],
            ["get", "replicas", "-o", "json"], ["events"], ["get", "secrets", "-o", "yaml"] })
            Assert.Equal(0, (await Orc(args)).ExitCode);
        Assert.Contains("secretKeyRef", outputs.Single(o => o.Where == "orc get svc reader -o yaml").Text);

        var revisions = await cluster.Http.GetStringAsync("/api/v1/namespaces/default/services/reader/revisions");
        Assert.Contains("secret app-db changed", revisions);

        // While reader uses them, the secret and the config are not deleted: by name or with a file, refused naming the use.
        var refused = await Orc("delete", "secret", "app-db");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("secret app-db is used by service default/reader (env DB_PASSWORD, volume db)", refused.Stderr);
        var refusedConfig = await Orc("delete", "config", "app-conf");
        Assert.Equal(1, refusedConfig.ExitCode);
        Assert.Contains("config app-conf is used by service default/reader (env GREETING, volume conf)", refusedConfig.Stderr);
        var refusedFile = await Orc("delete", "-f", cluster.Manifest("app-db-again.yaml", "apiVersion: orchestrator/v1\nkind: Secret\nmetadata: {name: app-db}\nstringData: {password: x}\n"));
        Assert.Equal(1, refusedFile.ExitCode);
        Assert.Contains("nothing was deleted", refusedFile.Stderr);
        Assert.Equal(0, (await Orc("get", "secret", "app-db")).ExitCode);

        // The replica goes, and its files with it; then the secret may go too.
        Assert.Equal(0, (await Orc("delete", "svc", "reader", "--wait")).ExitCode);
        Assert.Equal(0, (await Orc("delete", "secret", "app-db")).ExitCode);
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(folder)), TimeSpan.FromSeconds(20), $"{folder} to be dropped");

        foreach (var (where, text) in outputs) AssertNoValue(where, text);
        AssertNoValue("the node's own assignment stream", ownStream);
        AssertNoValue("the bystander's assignment stream", bystanderStream);
        var raw = await cluster.Etcdctl("get", "", "--from-key");
        Assert.Equal(0, raw.ExitCode);
        AssertNoValue("etcd's whole key space", raw.Stdout);
        AssertNoValue("the overview", await cluster.Http.GetStringAsync("/api/v1/overview"));
        AssertNoValue("the events", await cluster.Http.GetStringAsync("/api/v1/events"));
        AssertNoValue("the revisions", revisions);
        AssertNoValue("the metrics", await cluster.Http.GetStringAsync("/metrics"));
        AssertNoValue("the control plane's log", await File.ReadAllTextAsync(cluster.ControlPlaneLog));
        AssertNoValue("the agent's log", await File.ReadAllTextAsync(cluster.AgentLog));
    }

    /// <summary>The one running container of reader once it sees <paramref name="value"/> in its env.</summary>
    private async Task<string> RunningAsync(string value)
    {
        string? found = null;
        await Wait.UntilAsync(async () =>
        {
            foreach (var c in await cluster.RunningContainersAsync("default/reader"))
                if ((await cluster.Docker.ExecAsync(c.Id, "sh", "-c", "echo $DB_PASSWORD")).Stdout.Trim() == value) found = c.Id;
            return found is not null;
        }, TimeSpan.FromSeconds(60), "a running replica of reader with the secret's value in its env");
        return found!;
    }

    private async Task<HttpStatusCode> StatusAsync(string? token, string path)
    {
        using var http = cluster.Tls.ApiClient(cluster.ApiUrl, TimeSpan.FromSeconds(10));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Credentials.AdminToken(cluster.ApiUrl));
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>What a node's assignment stream sends in its first seconds (the sync of its replicas, a bookmark).</summary>
    private async Task<string> StreamAsync(string token, string node)
    {
        using var http = cluster.Tls.ApiClient(cluster.ApiUrl, Timeout.InfiniteTimeSpan);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync($"/api/v1/nodes/{node}/assignments", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line) text.AppendLine(line);
        }
        catch (OperationCanceledException) { }
        return text.ToString();
    }
}
