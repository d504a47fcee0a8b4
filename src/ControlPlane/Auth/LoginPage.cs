using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>
/// The status page's and the Orleans dashboard's login: a form that takes a viewer or admin token and keeps it in an
/// HttpOnly, SameSite=Strict cookie, which the API accepts like the bearer header (so the page's own requests work).
/// </summary>
public static class LoginPage
{
    public const string Path = "/ui/login";

    public static void MapLoginPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (string? next) => Form(next, error: null));
        app.MapPost(Path, async (HttpContext http, TokenStore tokens) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var next = form["next"].ToString();
            var token = form["token"].ToString().Trim();
            var caller = await tokens.AuthenticateAsync(token, http.RequestAborted);
            if (caller?.Role is not (TokenRoles.Admin or TokenRoles.Viewer))
                return Form(next, "that is not a valid viewer or admin token", StatusCodes.Status401Unauthorized);
            http.Response.Cookies.Append(RouteAuthorization.SessionCookie, token, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", IsEssential = true,
            });
            return Results.Redirect(SafeNext(next));
        });
        app.MapPost("/ui/logout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(RouteAuthorization.SessionCookie, new CookieOptions { Path = "/" });
            return Results.Redirect(Path);
        });
    }

    /// <summary>Only a path of this site: "//evil.example" or "https://..." would make the login an open redirect.</summary>
    public static string SafeNext(string? next) =>
        next is { Length: > 0 } n && n.StartsWith('/') && !n.StartsWith("//", StringComparison.Ordinal) && !n.Contains('\\')
            ? n : Ui.StatusPage.Path;

    private static IResult Form(string? next, string? error, int status = StatusCodes.Status200OK)
    {
        var message = error is null ? "" : $"<p class=\"error\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Orchestrator: log in</title>
            <style>body{font-family:sans-serif;max-width:32em;margin:4em auto}input{width:100%;padding:.4em;margin:.3em 0}.error{color:#b00}</style>
            </head><body>
            <h1>Orchestrator</h1>
            <p>Paste a viewer or admin token (<code>orc token create --role viewer</code>).</p>
            {{message}}
            <form method="post" action="{{Path}}">
            <input type="hidden" name="next" value="{{WebUtility.HtmlEncode(SafeNext(next))}}">
            <input type="password" name="token" id="token" placeholder="orc.ID.SECRET" autofocus required>
            <input type="submit" id="login" value="Log in">
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
