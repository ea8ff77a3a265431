using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using RestMan.Email;
using RestMan.Auth.Model;
using RestMan.Auth.Otp;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Auth.Apis;

/// <summary>Passwordless sign-in: a mailed one-time code is exchanged for a session token.</summary>
public static class AuthApi
{
    public const string InvalidOtpCode = "invalid_otp";
    public const string VoidedOtpCode = "otp_voided";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/auth");

        api.MapPost("/request-otp", RequestOtpAsync);
        api.MapPost("/verify-otp", VerifyOtpAsync);
        // People only: a service identity has no account to show or session to end.
        api.MapGet("/me", GetMeAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner, Roles.KitchenStaff, Roles.Waiter));
        // Anonymous at the door: the first implementation's clients prove the session by its token in the body. The body
        // is optional and read by hand (malformed JSON is a 400 naming "body"), so Accepts documents it.
        api.MapPost("/logout", LogoutAsync).Accepts<LogoutRequest>(isOptional: true, "application/json");

        return api;
    }

    /// <summary>
    /// Mails a fresh code. The answer is the same whether or not the account exists, so the endpoint cannot be used
    /// to find out who has one.
    /// </summary>
    public static async Task<Results<Accepted<RequestOtpResponse>, ProblemHttpResult>> RequestOtpAsync(
        RequestOtpRequest request, HttpContext context, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var (email, emailError) = EmailAddress.Normalize(request.Email);
        if (emailError is not null) rules.Add("email", emailError);
        var role = SelfServiceRole(request.Role);
        if (role is null) rules.Add("role", "must be 'user' or 'rest'; staff accounts are created by their restaurant's owner.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var client = OtpRateLimiter.ClientAddress(context, TrustedProxies.Networks(context.RequestServices.GetRequiredService<IConfiguration>()));
        if (await services.RateLimiter.HitAsync(email!, client) is { } retryAfter)
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited",
                $"Too many sign-in code requests; try again in {seconds} seconds.");
        }

        var lifetime = services.Options.Value.OtpLifetime;
        var otp = await services.Otps.IssueAsync(email!, role!, lifetime);
        await services.OtpAudit.RecordIssuedAsync(otp.Id, email!, otp.CodeHash, role!, client, otp.ExpiresAt, services.Clock.GetUtcNow(), ct);
        try
        {
            await services.Email.SendAsync(new EmailMessage(email!, "Your RestMan sign-in code",
                $"Your RestMan sign-in code is {otp.Code}. It expires in {Describe(lifetime)}.\n" +
                "If you did not ask to sign in, you can ignore this email."), ct);
        }
        catch (EmailUnavailableException ex)
        {
            services.Logger.LogError(ex, "Could not send a sign-in code");
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "email_unavailable",
                "Sign-in codes cannot be sent right now; try again later.");
        }

        return TypedResults.Accepted((string?)null, new RequestOtpResponse(
            "If this address can receive email, a sign-in code is on its way.", (int)lifetime.TotalSeconds));
    }

    /// <summary>
    /// Exchanges a live code for a session. Signs up a new email with the role asked for at request time; an existing
    /// account keeps its role and is reactivated.
    /// </summary>
    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> VerifyOtpAsync(VerifyOtpRequest request, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var (email, emailError) = EmailAddress.Normalize(request.Email);
        if (emailError is not null) rules.Add("email", emailError);
        var code = (request.Code ?? request.Otp)?.Trim();
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit)) rules.Add("code", "must be the 6-digit code from the email.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var check = await services.Otps.VerifyAsync(email!, code!, services.Options.Value.OtpMaxAttempts);
        switch (check.Outcome)
        {
            case OtpOutcome.Wrong:
                return CodeRejected(InvalidOtpCode, "The code is wrong or has expired.", check.RemainingAttempts);
            case OtpOutcome.Voided:
                return CodeRejected(VoidedOtpCode, "Too many wrong codes: this code is void. Request a new one.");
            case OtpOutcome.Missing:
                return CodeRejected(InvalidOtpCode, "The code is wrong or has expired.");
        }

        var now = services.Clock.GetUtcNow();
        var requestedRole = SelfServiceRole(check.RequestedRole) ?? Roles.Customer;
        var account = await services.Database.InTransactionAsync(async tx =>
        {
            var signedIn = await services.Users.UpsertOnLoginAsync(tx, email!, requestedRole, now, ct);
            if (signedIn is not null) tx.Publish(new UserLoginSucceeded(signedIn.Id, signedIn.Email, signedIn.Role, now));
            await services.OtpAudit.MarkConsumedAsync(tx, check.OtpId, now, ct);
            return signedIn;
        }, ct);
        if (account is null)
            return Problems.Problem(StatusCodes.Status403Forbidden, "staff_not_bound",
                "This staff account is no longer bound to a restaurant.");

        var issued = await services.Sessions.CreateAsync(
            account.Id, account.Email, account.Role, account.RestaurantId, services.Options.Value.SessionLifetimeFor(account.Role));
        return TypedResults.Ok(new LoginResponse(issued.Token, account.Id, account.Email, account.Role, issued.Session.ExpiresAt));
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(ClaimsPrincipal user, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var account = await services.Users.FindAsync(user.UserId(), ct);
        if (account is null) return Problems.NotFound("The account");

        return TypedResults.Ok(new MeResponse(account.Id, account.Email, account.Role, account.IsActive, account.RestaurantId, user.SessionExpiresAt()));
    }

    /// <summary>
    /// Ends the session of the bearer token the gateway resolved (it forwards the Authorization header as is), and the
    /// one named by <c>session_token</c> in the body (the first implementation's way): holding a token is the right to end it.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext context, ClaimsPrincipal user, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var (body, bodyError) = await ReadLogoutBodyAsync(context.Request, ct);
        if (bodyError is not null) return bodyError;
        var bodyToken = body?.SessionToken?.Trim();
        var signedIn = user.IsInRole(Roles.Customer) || user.IsInRole(Roles.Owner) || user.IsInRole(Roles.KitchenStaff) || user.IsInRole(Roles.Waiter);
        if (!signedIn && string.IsNullOrEmpty(bodyToken)) return Problems.Unauthorized("Sign in to do this.");

        var authorization = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (signedIn && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[bearer.Length..].Trim();
            // Only the caller's own session: a token that resolves to someone else is left alone.
            if (await services.Sessions.ResolveAsync(token) is { } session && session.UserId == user.UserId())
                await services.Sessions.RevokeAsync(token);
        }
        if (!string.IsNullOrEmpty(bodyToken)) await services.Sessions.RevokeAsync(bodyToken);
        return TypedResults.NoContent();
    }

    /// <summary>The optional JSON body; our own clients send none.</summary>
    private static async Task<(LogoutRequest? Body, ProblemHttpResult? Error)> ReadLogoutBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType() || request.ContentLength == 0) return (null, null);
        try
        {
            return (await request.ReadFromJsonAsync<LogoutRequest>(Json.Options, ct), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, Problems.Validation("body", "must be JSON: {\"session_token\": \"...\"} or nothing."));
        }
    }

    /// <summary>The role a person may pick for a new account; null for anything else (notably <c>kitch</c>).</summary>
    private static string? SelfServiceRole(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        null or "" => Roles.Customer,
        Roles.Customer => Roles.Customer,
        Roles.Owner => Roles.Owner,
        _ => null,
    };

    private static string Describe(TimeSpan lifetime) =>
        lifetime.TotalMinutes >= 1 && lifetime.Seconds == 0
            ? $"{(int)lifetime.TotalMinutes} minute{(lifetime.TotalMinutes == 1 ? "" : "s")}"
            : $"{(int)Math.Ceiling(lifetime.TotalSeconds)} seconds";

    /// <summary>A 400 that, like every bad-input answer, names the field at fault: the code.</summary>
    private static ProblemHttpResult CodeRejected(string problemCode, string detail, int? remainingAttempts = null)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = problemCode,
            ["errors"] = new Dictionary<string, string[]> { ["code"] = [detail] },
        };
        if (remainingAttempts is not null) extensions["remaining_attempts"] = remainingAttempts;
        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: detail, extensions: extensions);
    }
}
