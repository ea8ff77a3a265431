using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Auth.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Auth.Apis;

/// <summary>Internal account maintenance, called by the Scheduler with a signed service identity.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/users").RequireAuthorization(Roles.Service);

        api.MapPost("/deactivate-stale", DeactivateStaleAsync);

        return api;
    }

    /// <summary>
    /// The 2-hour rule: deactivates active <c>user</c> accounts last verified before <c>verified_before</c>, ends their
    /// sessions and emits <c>user.deactivated</c> for each. Owners and kitchen staff are never touched.
    /// </summary>
    public static async Task<Results<Ok<DeactivateStaleResponse>, ProblemHttpResult>> DeactivateStaleAsync(DeactivateStaleRequest request, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var now = services.Clock.GetUtcNow();
        if (request.VerifiedBefore is not { } verifiedBefore) return Problems.Validation("verified_before", "is required.");
        // A cutoff in the future would switch off everyone who just signed in.
        if (verifiedBefore > now) return Problems.Validation("verified_before", "must not be in the future.");

        var batch = services.Options.Value.DeactivationBatchSize;
        var deactivated = await services.Database.InTransactionAsync(async tx =>
        {
            var accounts = await services.Users.DeactivateStaleCustomersAsync(tx, verifiedBefore.ToUniversalTime(), now, batch, ct);
            foreach (var account in accounts) tx.Publish(new UserDeactivated(account.Id, account.Email, now));
            // Sessions end while the rows are still locked by this update: a sign-in racing it waits for the commit,
            // so its fresh session is created after this and survives. Ending them twice on a retry is harmless.
            await Task.WhenAll(accounts.Select(a => services.Sessions.RevokeAllAsync(a.Id)));
            return accounts;
        }, ct);
        if (deactivated.Count > 0)
            services.Logger.LogInformation("Deactivated {Count} customer accounts last verified before {Cutoff}", deactivated.Count, verifiedBefore);

        return TypedResults.Ok(new DeactivateStaleResponse(deactivated.Select(a => a.Id).ToList(), deactivated.Count == batch));
    }
}
