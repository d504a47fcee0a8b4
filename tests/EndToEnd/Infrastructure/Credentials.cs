using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// The credentials a test run uses, as an operator would: every control plane of one cluster is given the same admin
/// token file (it writes the token on first start, the others read it), clients send that admin token, and agents get a
/// join token from `POST /api/v1/tokens` and keep their node credential in a state directory of their own.
/// All of a harness's knowledge of authentication lives here; TLS (the run's CA) lives in <see cref="ClusterTls"/>, which
/// <see cref="Started"/> records per control plane so that the join token request and `orc` trust it too.
/// </summary>
public static class Credentials
{
    private static readonly ConcurrentDictionary<string, string> AdminTokenByApiUrl = new();
    private static readonly ConcurrentDictionary<string, Task<string>> JoinTokenByApiUrl = new();
    private static readonly ConcurrentDictionary<string, ClusterTls> TlsByApiUrl = new();

    /// <summary>The cluster's admin token file, shared by its control planes (/tmp/orchestrator-RUNID/admin.token).</summary>
    public static string AdminTokenFile(string clusterId) =>
        Path.Combine(Path.GetTempPath(), "orchestrator-" + clusterId, "admin.token");

    /// <summary>What a control plane of <paramref name="clusterId"/> is started with (the CA flags come from <see cref="ClusterTls"/>).</summary>
    public static string[] ControlPlaneArgs(string clusterId, string dataDir) =>
        ["--data-dir", dataDir, "--admin-token-file", AdminTokenFile(clusterId)];

    /// <summary>
    /// Once a control plane answers: its admin token, from now on sent by <paramref name="http"/> and by `orc`, and the
    /// run's CA (<paramref name="tls"/>) that its certificate chains to.
    /// </summary>
    public static void Started(string apiUrl, string clusterId, HttpClient http, ClusterTls tls)
    {
        var token = File.ReadAllText(AdminTokenFile(clusterId)).Trim();
        AdminTokenByApiUrl[apiUrl] = token;
        TlsByApiUrl[apiUrl] = tls;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The admin token of the control plane at <paramref name="apiUrl"/> (the first of a comma-separated list).</summary>
    public static string AdminToken(string apiUrl) =>
        AdminTokenByApiUrl.TryGetValue(apiUrl.Split(',')[0], out var token)
            ? token
            : throw new InvalidOperationException($"no control plane was started at {apiUrl} by this test run");

    /// <summary>The run's CA the control plane at <paramref name="apiUrl"/> (the first of a comma-separated list) was started with.</summary>
    public static ClusterTls Tls(string apiUrl) =>
        TlsByApiUrl.TryGetValue(apiUrl.Split(',')[0], out var tls)
            ? tls
            : throw new InvalidOperationException($"no control plane was started at {apiUrl} by this test run");

    /// <summary>ORC_SERVER, ORC_TOKEN and ORC_CA (the run's CA) for the real `orc`.</summary>
    public static Dictionary<string, string> OrcEnvironment(string apiUrl)
    {
        var environment = new Dictionary<string, string> { ["ORC_SERVER"] = apiUrl, ["ORC_TOKEN"] = AdminToken(apiUrl) };
        foreach (var (key, value) in Tls(apiUrl).OrcEnvironment) environment[key] = value;
        return environment;
    }

    /// <summary>A join token of the control plane at <paramref name="apiUrl"/> (one per control plane, as `orc node join-token`).</summary>
    public static Task<string> JoinTokenAsync(string apiUrl) =>
        JoinTokenByApiUrl.GetOrAdd(apiUrl.Split(',')[0], async url =>
        {
            using var http = Tls(url).ApiClient(url);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken(url));
            using var response = await http.PostAsJsonAsync("/api/v1/tokens", new TokenRequest { Role = TokenRoles.Join }, Json.Options);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<IssuedToken>(Json.Options))!.Token;
        });

    /// <summary>The flags an agent joins with: the join token and a state directory of its own for its node credential.</summary>
    public static async Task<string[]> AgentArgsAsync(string apiUrl, string stateDir) =>
        ["--join-token", await JoinTokenAsync(apiUrl), "--state-dir", stateDir];

    /// <summary>For scripts/testbed.sh, which keeps each host's credential in the host's own folder: only the join token.</summary>
    public static async Task<string[]> JoinArgsAsync(string apiUrl) => ["--join-token", await JoinTokenAsync(apiUrl)];

    /// <summary>A browser sent to the login form by /ui or the dashboard logs in with the admin token and lands where it was going.</summary>
    public static async Task LogInAsync(Chromium browser, string apiUrl)
    {
        await browser.WaitUntilAsync("document.getElementById('token') != null", TimeSpan.FromSeconds(20), "the login form");
        await browser.EvaluateAsync($"document.getElementById('token').value = '{AdminToken(apiUrl)}'; document.forms[0].submit(); true");
        await browser.WaitUntilAsync("!location.pathname.startsWith('/ui/login') && document.readyState == 'complete'",
            TimeSpan.FromSeconds(20), "the page behind the login");
    }
}
