using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// A POST whose body is sent chunked (no length known in advance) over a TLS stream of its own, reading the answer while still
/// sending: a server that refuses the body part way and closes the connection is heard, not seen as a broken pipe
/// as HttpClient would report it.
/// </summary>
public static class ChunkedPost
{
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(ClusterTls tls, Uri server, string path, byte[] body)
    {
        using var client = new TcpClient();
        await using var stream = await tls.ConnectAsync(server, client);
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\n" +
                   $"Authorization: Bearer {Credentials.AdminToken(server.OriginalString.TrimEnd('/'))}\r\n" +
                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        var sending = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                for (var offset = 0; offset < body.Length; offset += 64 << 10)
                {
                    var chunk = body.AsMemory(offset, Math.Min(64 << 10, body.Length - offset));
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
                    await stream.WriteAsync(chunk);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (IOException)
            {
                // The server stopped reading: what a refusal part way looks like from here.
            }
        });
        var answer = new MemoryStream();
        try { await stream.CopyToAsync(answer); } catch (IOException) { /* reset after the answer was read */ }
        await sending;
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var status = (HttpStatusCode)int.Parse(text.Split(' ', 3)[1]);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return (status, Unchunk(text[bodyStart..], text[..bodyStart]));
    }

    private static string Unchunk(string body, string headers)
    {
        if (!headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) return body;
        var result = new StringBuilder();
        var rest = body;
        while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0)
        {
            var size = Convert.ToInt32(rest[..end], 16);
            if (size == 0) break;
            result.Append(rest.AsSpan(end + 2, size));
            rest = rest[(end + 2 + size + 2)..];
        }
        return result.ToString();
    }
}
