using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// charts/shop on the three networked hosts (the cluster of ServiceNetworkTests, no testbed of its own): the front end,
/// published on every node, writes and reads through the api by name, which reaches the store by name with the password
/// from the chart's Secret; the data lands on the store's persistent volume; the secret cannot be deleted while the
/// services use it and its value is in no etcd byte; uninstall (reclaimPolicy Delete) removes the services, the volume on
/// the host that had it, the secret and the config.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(NetworkCollection.Name)]
public sealed class ShopChartTests(NetworkedHosts cluster)
{
    private const string Password = "e2e-shop-Vx42q";
    private const int FrontPort = 30481;
    private static readonly string ShopChart = Path.Join(Repo.Root, "charts", "shop");

    [Fact]
    public async Task The_shop_answers_with_data_read_from_the_store_by_name_and_uninstall_removes_its_volume_and_secret()
    {
        try
        {
            var install = await cluster.Orc("chart", "install", "shop", ShopChart, "--set", $"store.password={Password}",
                "--set", "store.reclaimPolicy=Delete", "--set", $"front.publishedPort={FrontPort}", "--wait");
            Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
            Assert.Contains("shop-store", (await cluster.Orc("get", "secrets")).Stdout);

            // h1's address, the published port: front -> api (by name) -> store (by name, with the password) and back.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var url = $"http://{cluster.Host("h1").Address}:{FrontPort}/cgi-bin/shop?basket";
            // Every answer, with when it came: a failure names the tier that did not answer and what it saw.
            var answers = new List<string>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            async Task<string> AskAsync(Func<Task<HttpResponseMessage>> send)
            {
                string answer;
                try
                {
                    using var response = await send();
                    answer = $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).Trim()}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { answer = e.Message; }
                answers.Add($"{clock.Elapsed.TotalSeconds:0.0} s: {answer}");
                return answer;
            }
            string Answers() => string.Join("\n", answers);
            try
            {
                // The store's own answer, passed back by the api and the front: a tier that hides a failure fails here.
                await Wait.UntilAsync(async () => (await AskAsync(() => http.PostAsync(url, new StringContent("apples and pears")))) == "200 stored basket",
                    TimeSpan.FromSeconds(60), "a write through the front end");
            }
            catch (TimeoutException) { Assert.Fail($"no write through the front end in 60 s; its answers since the install:\n{Answers()}"); }
            // Read back the same way: each request takes its own path (front and api replica balanced per connection), and
            // the data must come back from the store. (In one full run of four a write went through only after 25 s and
            // the read right after it got a 502; the cause was not found, and these answers are what would name it.)
            try
            {
                await Wait.UntilAsync(async () => (await AskAsync(() => http.GetAsync(url))) == "200 apples and pears",
                    TimeSpan.FromSeconds(60), "the basket read back through the front end");
            }
            catch (TimeoutException) { Assert.Fail($"the basket was not read back in 60 s; the answers since the install:\n{Answers()}"); }
            // Printed at the end of ./test.sh when any answer failed, so that a run that passed still shows what went wrong.
            if (answers.Count > 2) Measurements.Record($"shop chart: {answers.Count - 2} answer(s) failed before the write and the read: {string.Join("; ", answers)}");

            // It is on the store's persistent volume, on the host its slot runs on.
            var store = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=shop-store"))!.Single().Replica;
            var holder = cluster.Host(store.Node);
            var container = (await cluster.ContainersOnHostAsync(holder, "default", "shop-store")).Single();
            Assert.Equal("apples and pears", (await holder.Docker.ExecAsync(container.Id, "cat", "/data/basket")).Stdout.Trim());
            Assert.Contains("orc.default.shop-store.data.1", await holder.Docker.ClusterVolumesAsync(cluster.RunId));
            // The store answers no one without the password (asked by name from the api's container).
            var apiHost = cluster.Host((await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=shop-api"))!.First().Replica.Node);
            var api = (await cluster.ContainersOnHostAsync(apiHost, "default", "shop-api")).First();
            var anonymous = await apiHost.Docker.ExecAsync(api.Id, "sh", "-c", "timeout 3 wget -qO- http://shop-store:8080/cgi-bin/kv?basket 2>&1");
            Assert.Contains("401", anonymous.Stdout);

            // The services use the secret: it is not deleted under them.
            var refused = await cluster.Orc("delete", "secret", "shop-store");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("secret shop-store is used by service default/shop-api (env KV_PASSWORD); service default/shop-store (env KV_PASSWORD)", refused.Stderr);
            var raw = await cluster.Etcdctl("get", "", "--from-key");
            Assert.Equal(0, raw.ExitCode);
            SecretValueCheck.AssertAbsent("etcd's whole key space", raw.Stdout, Password);

            var uninstall = await cluster.Orc("chart", "uninstall", "shop");
            Assert.True(uninstall.ExitCode == 0, uninstall.Stdout + uninstall.Stderr);
            await Wait.UntilAsync(async () => !(await holder.Docker.ClusterVolumesAsync(cluster.RunId)).Any(v => v.StartsWith("orc.default.shop-", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(40), $"the store's volume removed from {holder.Name}");
            Assert.DoesNotContain("shop-", (await cluster.Orc("get", "secrets")).Stdout);
            Assert.DoesNotContain("shop-", (await cluster.Orc("get", "configs")).Stdout);
            Assert.DoesNotContain("shop-", (await cluster.Orc("get", "services")).Stdout);
        }
        finally
        {
            await cluster.Orc("chart", "uninstall", "shop");
        }
    }
}
