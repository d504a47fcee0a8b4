using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The Kubernetes docs' nginx Deployment and NodePort Service (examples/kubernetes/nginx, image swapped for
/// local/web:1) applied unchanged on the 3-host testbed: its node port answers on every node (docs/compat.md). It joins
/// the network tests' testbed rather than starting one of its own.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(NetworkCollection.Name)]
public sealed class KubernetesNodePortTests(NetworkedHosts cluster)
{
    private static readonly string[] NodeAddresses = ["10.231.0.11", "10.231.0.12", "10.231.0.13"];

    [Fact]
    public async Task The_kubernetes_docs_nginx_nodeport_service_applies_unchanged_and_answers_on_its_node_port_on_every_node()
    {
        var nginx = Path.Join(Repo.Root, "examples", "kubernetes", "nginx", "nginx-nodeport.yaml");
        try
        {
            var applied = await cluster.Orc("apply", "-f", nginx, "--wait", "--timeout", "2m");
            Assert.True(applied.ExitCode == 0, applied.ToString());
            Assert.Contains("service/my-service created", applied.Stdout);
            var service = (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/my-service"))!;
            Assert.Equal([(8080, (int?)30007)], service.Service.Spec.Ports.Select(p => (p.ContainerPort, p.PublishedPort)));

            // Every node answers on 30007, whichever replicas it runs: the page local/web:1 serves.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var answers = new Dictionary<string, string>();
            await Wait.UntilAsync(async () =>
            {
                foreach (var address in NodeAddresses.Where(a => !answers.ContainsKey(a)))
                {
                    try { answers[address] = (await http.GetStringAsync($"http://{address}:30007/")).Trim(); }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                }
                return answers.Count == NodeAddresses.Length;
            }, TimeSpan.FromSeconds(30), "node port 30007 answered on every node (10.231.0.11-13)");
            Assert.All(answers.Values, page => Assert.Equal("hello from web v1", page));
        }
        finally
        {
            await cluster.Orc("delete", "-f", nginx, "--wait");
        }
    }
}
