using Yarp.ReverseProxy.Model;
using Microsoft.Net.Http.Headers;
using RestMan.Identity;
using StackExchange.Redis;

namespace RestMan.Gateway.Security;

/// <summary>
/// The gateway's front door, in two steps. <see cref="ResolveSessionAsync"/> runs before the response cache: it
/// resolves the bearer token (from this process's <see cref="SessionCache"/>, else Redis), so a revoked or unknown token
/// is 401 even where a cached answer exists. <see cref="ApplyRouteRuleAsync"/> runs in the proxy: 401 without a session,
/// 403 for the wrong role.
/// </summary>
public static class SessionGate
{
    public const string SessionItem = "restman.session";

    public static IApplicationBuilder UseSessionResolution(this IApplicationBuilder app) => app.Use(ResolveSessionAsync);

    public static async Task ResolveSessionAsync(HttpContext context, RequestDelegate next)
    {
        // Only what is forwarded needs a caller; the gateway's own answers (health, docs, 404 for /internal) do not.
        var forwarded = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not null;
        if (forwarded && context.Request.Headers.Authorization.Count > 0)
        {
            var token = BearerToken(context.Request.Headers.Authorization.ToString());
            Session? session;
            try
            {
                session = token is null ? null : await context.RequestServices.GetRequiredService<SessionCache>().ResolveAsync(token);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Without the session store nobody can be recognised: a 503 to retry, not a 500 and not a false 401.
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionGate))
                    .LogError(ex, "The session store (Redis) did not answer");
                await Reject(context, StatusCodes.Status503ServiceUnavailable, "sessions_unavailable", "Sign-in cannot be checked right now; try again in a moment.");
                return;
            }
            if (session is null)
            {
                await Reject(context, StatusCodes.Status401Unauthorized, "invalid_token", "The token is missing, expired or revoked. Sign in again.");
                return;
            }
            context.Items[SessionItem] = session;
        }
        await next(context);
    }

    public static async Task ApplyRouteRuleAsync(HttpContext context, Func<Task> next)
    {
        var session = context.Items[SessionItem] as Session;
        var rule = RouteRules.Match(context.Request.Method, context.Request.Path);
        if (rule is not null && rule.Access != Access.Anonymous)
        {
            if (session is null)
            {
                await Reject(context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in to do this.");
                return;
            }
            if (rule.Access == Access.Roles && !rule.AllowedRoles.Contains(session.Role))
            {
                await Reject(context, StatusCodes.Status403Forbidden, "forbidden", $"The '{session.Role}' role cannot do this.");
                return;
            }
        }
        await next();

        // A sign-out through this gateway ends the token here before the client can send its next request.
        if (session is not null && HttpMethods.IsPost(context.Request.Method) && context.Response.StatusCode < 300 &&
            IsLogout(context.Request.Path) && BearerToken(context.Request.Headers.Authorization.ToString()) is { } token)
            context.RequestServices.GetRequiredService<SessionCache>().Forget(token);
    }

    private static bool IsLogout(PathString path) =>
        path.Equals("/auth/logout", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/auth/logout", StringComparison.OrdinalIgnoreCase);

    private static string? BearerToken(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;

    // A body the client is still sending when the answer goes out makes the server reset the connection, and the client
    // sees the reset instead of the 401/403: read a modest body first so the answer arrives.
    private const long MaxBodyReadBeforeRejecting = 1024 * 1024;

    private static async Task Reject(HttpContext context, int status, string code, string detail)
    {
        if (context.Request.ContentLength is > 0 and <= MaxBodyReadBeforeRejecting)
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}

public static class ClientIdentityStripping
{
    /// <summary>Only the gateway may speak for a user: whatever a client sent in our identity headers is discarded first.</summary>
    public static IApplicationBuilder UseClientIdentityStripping(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        foreach (var header in IdentityHeaders.All) context.Request.Headers.Remove(header);
        return next(context);
    });
}
