using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// This node's own credential (Kubernetes' kubelet TLS bootstrap, with a bearer credential): read from
/// STATE_DIR/node.credential, or got once by exchanging the join token (POST /api/v1/nodes/{name}/join) and kept there
/// with mode 0600, so a restart reuses it and the join token may expire. Without either, calls go without a token and
/// the control plane answers 401.
/// </summary>
public sealed class NodeCredential(string node, string stateDir, string? joinToken, string? joinTokenFile, ILogger<NodeCredential> log)
{
    public const string FileName = "node.credential";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _credential;

    public string FilePath => Path.Combine(stateDir, FileName);

    /// <summary>The credential, joining first when there is none yet; null when there is neither a credential nor a join token.</summary>
    public async Task<string?> GetAsync(HttpMessageInvoker joinSender, CancellationToken ct)
    {
        if (_credential is { } known) return known;
        await _lock.WaitAsync(ct);
        try
        {
            if (_credential is not null) return _credential;
            if (File.Exists(FilePath)) return _credential = (await File.ReadAllTextAsync(FilePath, ct)).Trim();
            var join = joinToken ?? (joinTokenFile is { } f ? (await File.ReadAllTextAsync(f, ct)).Trim() : null);
            if (string.IsNullOrEmpty(join)) return null;
            var issued = await JoinAsync(joinSender, join, ct);
            Save(issued.Token);
            log.LogInformation("node {Node} joined: credential {Id} kept in {File}", node, issued.Info.Id, FilePath);
            return _credential = issued.Token;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IssuedToken> JoinAsync(HttpMessageInvoker sender, string join, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://control-plane/api/v1/nodes/{Uri.EscapeDataString(node)}/join");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", join);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ControlPlaneClient.CallTimeout);
        using var response = await sender.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(timeout.Token);
            throw new HttpRequestException($"join as node \"{node}\": {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync<IssuedToken>(Json.Options, timeout.Token)
            ?? throw new HttpRequestException($"join as node \"{node}\": an empty answer");
    }

    private void Save(string credential)
    {
        Directory.CreateDirectory(stateDir);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
            writer.WriteLine(credential);
        File.Move(temporary, FilePath, overwrite: true);
    }
}

/// <summary>Puts the node's credential on every call to the control plane (the join itself carries the join token).</summary>
public sealed class NodeCredentialHandler(NodeCredential credential, Func<HttpMessageInvoker> joinSender) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (await credential.GetAsync(joinSender(), ct) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, ct);
    }
}
