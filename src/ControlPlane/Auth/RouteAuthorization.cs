using Microsoft.AspNetCore.Routing.Patterns;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>
/// Authenticates each request (a bearer token, or the status page's session cookie) and decides it by its route's row
/// of <see cref="AuthorizationTable"/>: no or a bad token 401, a token without the right 403, both as an ApiError.
/// A node refused is also a warning event naming the node and the route, so an operator sees a node acting as another.
/// </summary>
public static class RouteAuthorization
{
    public const string SessionCookie = "orc_session";
    private const string CallerItem = "orc.caller";

    /// <summary>The caller the request proved (set for every routed request).</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Items.TryGetValue(CallerItem, out var c) && c is Caller caller ? caller : Auth.Caller.Anonymous;

    public static void UseRouteAuthorization(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is not RouteEndpoint endpoint)
            {
                await next(http);
                return;
            }
            var rule = AuthorizationTable.Find(http.Request.Method, endpoint.RoutePattern.RawText);
            var caller = await AuthenticateAsync(http);
            http.Items[CallerItem] = caller;
            if (rule is null)
            {
                await DenyAsync(http, StatusCodes.Status403Forbidden, $"{http.Request.Method} {endpoint.RoutePattern.RawText} has no row in the authorization table; nobody may call it");
                return;
            }
            var refusal = Decide(rule, caller, http.Request.RouteValues);
            if (refusal is null)
            {
                await next(http);
                return;
            }
            if (caller.Role is null && IsBrowserPage(http))
            {
                http.Response.Redirect(LoginPage.Path + "?next=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
                return;
            }
            if (caller.IsNode)
                await http.RequestServices.GetRequiredService<EventRecorder>().ClusterEventAsync($"Node/{caller.Node}", "Forbidden",
                    $"node \"{caller.Node}\" was refused {http.Request.Method} {http.Request.Path}: {refusal}", warning: true);
            await DenyAsync(http, caller.Role is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, refusal);
        });
    }

    /// <summary>Null when <paramref name="caller"/> may call the route; else the sentence that says why not.</summary>
    public static string? Decide(RouteRule rule, Caller caller, RouteValueDictionary route)
    {
        if (rule.Access == Access.Anonymous) return null;
        if (caller.Role is null) return "a valid token is required (Authorization: Bearer orc.ID.SECRET; see orc token create)";
        var name = route.TryGetValue("name", out var n) ? n?.ToString() : null;
        if (rule.Access == Access.NodeOnly)
            return caller.IsNode && caller.Node == name ? null
                : caller.IsNode ? $"node \"{caller.Node}\" may act only as itself, not as node \"{name}\""
                : $"{caller} may not read {rule.What} (needs {Needs(rule.Access)})";
        if (caller.IsAdmin) return null;
        return rule.Access switch
        {
            Access.Viewer when caller.Role == TokenRoles.Viewer => null,
            Access.ViewerOrNode when caller.Role == TokenRoles.Viewer || caller.IsNode => null,
            Access.Join when caller.Role == TokenRoles.Join => null,
            Access.NodeSelf when caller.IsNode && caller.Node == name => null,
            Access.NodeSelf when caller.IsNode => $"node \"{caller.Node}\" may act only as itself, not as node \"{name}\"",
            _ => $"{caller} may not {rule.What} (needs {Needs(rule.Access)})",
        };
    }

    private static string Needs(Access access) => access switch
    {
        Access.Viewer => "a viewer or admin token",
        Access.ViewerOrNode => "a viewer or admin token or a node's credential",
        Access.Admin => "an admin token",
        Access.NodeSelf => "the node's own credential or an admin token",
        Access.NodeOnly => "the node's own credential; values go to nodes only",
        Access.Join => "a join token or an admin token",
        _ => "nothing",
    };

    private static async Task<Caller> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var text = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..]
            : http.Request.Cookies[SessionCookie];
        if (string.IsNullOrEmpty(text)) return Auth.Caller.Anonymous;
        return await http.RequestServices.GetRequiredService<TokenStore>().AuthenticateAsync(text, http.RequestAborted) ?? Auth.Caller.Anonymous;
    }

    private static bool IsBrowserPage(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method)
        && (http.Request.Path.StartsWithSegments(Ui.StatusPage.Path) || http.Request.Path.StartsWithSegments(Ui.StatusPage.OrleansDashboardPath));

    private static async Task DenyAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(Json.Serialize(new ApiError { Error = message }));
    }
}
