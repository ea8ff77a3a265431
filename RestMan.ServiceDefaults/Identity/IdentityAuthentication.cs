using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Roles of RestMan, and the policies endpoints ask for.</summary>
public static class Roles
{
    public const string Customer = "user";
    public const string Owner = "rest";
    public const string KitchenStaff = "kitch";
    /// <summary>Floor staff: opens tables' orders and adds rounds, bound to one restaurant like kitchen staff.</summary>
    public const string Waiter = "waiter";
    /// <summary>The staff roles an owner adds to a restaurant; each such account is bound to that one restaurant.</summary>
    public static readonly IReadOnlyList<string> Staff = [KitchenStaff, Waiter];

    public static bool IsStaff(string? role) => role is KitchenStaff or Waiter;
    /// <summary>Another RestMan service calling an internal endpoint.</summary>
    public const string Service = "service";
}

/// <summary>Turns signed identity headers into the request's user; a bad signature is a 401 on any endpoint.</summary>
public sealed class ForwardedIdentityHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IConfiguration configuration, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RestManIdentity";
    private byte[]? _key;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!IdentityHeaders.IsPresent(Request.Headers)) return Task.FromResult(AuthenticateResult.NoResult());
        _key ??= IdentityHeaders.KeyFrom(configuration["Identity:SigningKey"]);
        var (identity, error) = IdentityHeaders.Read(Request, _key, clock.GetUtcNow());
        if (identity is null) return Task.FromResult(AuthenticateResult.Fail(error!));

        List<Claim> claims = [new(ClaimTypes.NameIdentifier, identity.UserId.ToString()), new(ClaimTypes.Role, identity.Role)];
        if (identity.RestaurantId is { } restaurant) claims.Add(new Claim(IdentityClaims.RestaurantIdType, restaurant.ToString()));
        if (identity.SessionExpiresAt is { } expires) claims.Add(new Claim(IdentityClaims.SessionExpiresAtType, expires.ToUnixTimeSeconds().ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "unauthorized", "Sign in to do this.");

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "forbidden", "Your role does not allow this.");

    private async Task WriteProblemAsync(int status, string code, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}

public static class IdentityClaims
{
    public const string RestaurantIdType = "restman:restaurant_id";
    public const string SessionExpiresAtType = "restman:session_expires_at";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no signed-in user"));

    public static string? Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role);

    public static DateTimeOffset? SessionExpiresAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(SessionExpiresAtType), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static Guid? RestaurantId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(RestaurantIdType), out var id) ? id : null;
}

/// <summary>The HMAC key identity is signed with (<c>Identity:SigningKey</c>, base64), the same in every service.</summary>
public sealed class IdentitySigningOptions
{
    public string? SigningKey { get; set; }

    public static bool IsKey(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Convert.TryFromBase64String(value, new byte[value.Length], out var length) && length > 0;
}

public static class IdentityExtensions
{
    public static IServiceCollection AddForwardedIdentity(this IServiceCollection services)
    {
        // Checked at start, not at the first signed call: a deployment without the key must not come up half working.
        services.AddOptions<IdentitySigningOptions>().BindConfiguration("Identity")
            .Validate(o => IdentitySigningOptions.IsKey(o.SigningKey),
                "Identity:SigningKey is not set or not base64: the AppHost hands it to every service (deployment parameter identity-signing-key).")
            .ValidateOnStart();
        services.AddAuthentication(ForwardedIdentityHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ForwardedIdentityHandler>(ForwardedIdentityHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Customer, p => p.RequireRole(Roles.Customer))
            .AddPolicy(Roles.Owner, p => p.RequireRole(Roles.Owner))
            .AddPolicy(Roles.KitchenStaff, p => p.RequireRole(Roles.KitchenStaff))
            .AddPolicy(Roles.Service, p => p.RequireRole(Roles.Service));
        return services;
    }

    /// <summary>Rejects tampered or stale identity on every endpoint, public ones included, before anything runs.</summary>
    public static IApplicationBuilder UseForwardedIdentity(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (IdentityHeaders.IsPresent(context.Request.Headers) && context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync(ForwardedIdentityHandler.SchemeName);
                return;
            }
            await next(context);
        });
        app.UseAuthorization();
        return app;
    }
}

/// <summary>Signs a service's own calls to another service's internal endpoints with role <c>service</c>.</summary>
public sealed class ServiceIdentityHandler(IConfiguration configuration, TimeProvider clock) : DelegatingHandler
{
    // A fixed id per calling service lets the callee log who called; it is not a user.
    private readonly ForwardedIdentity _identity = new(
        new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(configuration["OTEL_SERVICE_NAME"] ?? "service"))),
        Roles.Service, null, null);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var key = IdentityHeaders.KeyFrom(configuration["Identity:SigningKey"]);
        foreach (var name in IdentityHeaders.All) request.Headers.Remove(name);
        foreach (var (name, value) in IdentityHeaders.Sign(_identity, request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.AbsolutePath) + request.RequestUri.Query, key, clock.GetUtcNow()))
            request.Headers.TryAddWithoutValidation(name, value);
        return base.SendAsync(request, ct);
    }
}
