using Microsoft.Net.Http.Headers;
using RestMan.Identity;
using StackExchange.Redis;

namespace RestMan.Gateway.Security;

/// <summary>
/// The gateway's front door: drops any identity a client tries to send, resolves the bearer token in Redis, and
/// applies the route's role rule (401 without a valid session, 403 for the wrong role).
/// </summary>
public sealed class SessionGate(RequestDelegate next, SessionStore sessions, ILogger<SessionGate> logger)
{
    public const string SessionItem = "restman.session";

    public async Task InvokeAsync(HttpContext context)
    {
        Session? session = null;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            var token = BearerToken(context.Request.Headers.Authorization.ToString());
            try
            {
                session = token is null ? null : await sessions.ResolveAsync(token);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Without the session store nobody can be recognised: a 503 to retry, not a 500 and not a false 401.
                logger.LogError(ex, "The session store (Redis) did not answer");
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
        await next(context);
    }

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
