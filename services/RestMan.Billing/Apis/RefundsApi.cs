using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Billing.Model;
using RestMan.Billing.Payments;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>Refunds of a bill by the restaurant's owner, back to the payments it was paid with.</summary>
public static class RefundsApi
{
    private const decimal MaxAmount = 1_000_000m;

    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();
        api.MapPost("/bills/{id:guid}/refunds", IssueRefundAsync).RequireAuthorization(Roles.Owner);
        api.MapGet("/bills/{id:guid}/refunds", ListRefundsAsync).RequireAuthorization(Roles.Owner);
        return app;
    }

    /// <summary>
    /// Gives back all or part of what was paid, to the original payments (card, QR and e-wallet through the provider;
    /// cash by hand). 409 <c>refund_exceeds_paid</c> for more than was paid and not yet refunded (also when refunds race),
    /// <c>nothing_to_refund</c>. The bill becomes PARTIALLY_REFUNDED or REFUNDED and <c>refund.issued</c> goes out.
    /// With an Idempotency-Key, a replay returns the first refund as it stands (200).
    /// </summary>
    public static async Task<Results<Created<RefundResponse>, Ok<RefundResponse>, ProblemHttpResult>> IssueRefundAsync(
        Guid id, IssueRefundRequest? request, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, [AsParameters] BillingServices services, Refunding refunding, CancellationToken ct)
    {
        var rules = new InputRules();
        if (request?.Amount is { } amount && (amount <= 0 || amount > MaxAmount || amount != Money.Round(amount)))
            rules.Add("amount", "must be more than 0, in whole cents (left out: all that was paid and not yet refunded).");
        var reason = rules.OptionalText(request?.Reason, "reason", 200);
        IdempotencyKeys.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");

        var order = new RefundOrder(request?.Amount, request?.PaymentId, reason, user.UserId());
        return (await refunding.IssueAsync(bill.Id, order, idempotencyKey, ct))
            .ToCreated("refund", $"/billing/bills/{bill.Id}/refunds", RefundResponse.From);
    }

    /// <summary>The bill's refunds, oldest first, every status.</summary>
    public static async Task<Results<Ok<List<RefundResponse>>, ProblemHttpResult>> ListRefundsAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");
        var refunds = await services.Refunds.ListByBillAsync(id, ct);
        // The bill is read again after its refunds: one settled meanwhile (with its bill, in one commit) never shows beside the bill's old status.
        var current = await services.Bills.FindAsync(id, ct) ?? bill;
        return TypedResults.Ok(refunds.Select(r => RefundResponse.From(r, current)).ToList());
    }
}
