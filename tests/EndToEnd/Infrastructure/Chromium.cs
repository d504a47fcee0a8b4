using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// A headless Chromium with one page open, driven over the DevTools protocol (a WebSocket, no extra package):
/// evaluate JavaScript in the page as it lives, with its own timers and fetches running, and take screenshots.
/// Each instance has a fresh profile in a temporary folder, removed with it.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser on PATH, or null (test.sh installs Debian's chromium).</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => Names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts the browser on <paramref name="url"/> in a window of the given size; its output goes to <paramref name="logFile"/>.</summary>
    /// <param name="tls">the cluster whose CA vouches for the server: Chromium is told to accept exactly the certificate the
    /// server presents once that is checked against the CA here (its SPKI hash), not every certificate</param>
    public static async Task<Chromium> OpenAsync(string url, string logFile, ClusterTls tls, int width = 1400, int height = 1000)
    {
        var spki = await tls.ServerSpkiAsync(new Uri(url));
        var executable = Find() ?? throw new InvalidOperationException(
            "chromium is not installed: apt-get install -y chromium (./test.sh installs it when run as root)");
        var profile = Directory.CreateTempSubdirectory("orchestrator-chromium-").FullName;
        var process = ProcessRunner.StartDaemon(executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", $"--user-data-dir={profile}", $"--window-size={width},{height}",
            // Port 0: the browser picks a free one and writes it to DevToolsActivePort in the profile.
            "--remote-debugging-port=0", $"--ignore-certificate-errors-spki-list={spki}", url,
        ], logFile);
        var browser = new Chromium(process, profile);
        try
        {
            await browser.ConnectAsync(logFile);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(string logFile)
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var port = 0;
        await Wait.UntilAsync(() =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"chromium exited with {_process.ExitCode} (see {logFile})");
            port = File.Exists(portFile) && int.TryParse(File.ReadLines(portFile).FirstOrDefault(), out var p) ? p : 0;
            return Task.FromResult(port > 0);
        }, TimeSpan.FromSeconds(30), $"chromium's DevTools port (see {logFile})");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string? pageSocket = null;
        await Wait.UntilAsync(async () =>
        {
            JsonArray targets;
            try { targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray(); }
            catch (HttpRequestException) { return false; }
            pageSocket = targets.FirstOrDefault(t => (string?)t?["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            return pageSocket is not null;
        }, TimeSpan.FromSeconds(15), "chromium's page target");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.ConnectAsync(new Uri(pageSocket!), timeout.Token);
    }

    /// <summary>The value of a JavaScript expression evaluated in the page (promises awaited), as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } error)
            throw new InvalidOperationException($"the page threw evaluating {expression}: {error.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Polls an expression until it returns true.</summary>
    public async Task<TimeSpan> WaitUntilAsync(string expression, TimeSpan timeout, string what)
    {
        try
        {
            return await Wait.UntilAsync(async () => (await EvaluateAsync(expression))?.GetValueKind() == JsonValueKind.True, timeout, what);
        }
        catch (TimeoutException e)
        {
            // Say what the page showed, so a red run tells why (a fetch error on the page, a login that did not take).
            var shown = await EvaluateAsync("location.href + ' | live: ' + (document.getElementById('live')?.textContent ?? '(none)')"
                + " + ' | ' + JSON.stringify(document.body ? document.body.dataset : null)");
            throw new TimeoutException($"{e.Message}; the page showed: {shown}", e);
        }
    }

    /// <summary>A PNG of the window as it shows now.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    /// <summary>Sends one command and waits for its answer, skipping the events the browser sends meanwhile.</summary>
    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveAsync(timeout.Token))!;
            if ((int?)message["id"] != id) continue;
            if (message["error"] is { } error) throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
            return message["result"]!;
        }
    }

    private async Task<string> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException("chromium closed the DevTools connection");
            message.Write(buffer, 0, received.Count);
        } while (!received.EndOfMessage);
        return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { /* the browser goes anyway */ }
        }
        _socket.Dispose();
        ProcessRunner.Stop(_process);
        try { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { /* a crash handler may still hold a file; the folder is in /tmp */ }
    }
}
