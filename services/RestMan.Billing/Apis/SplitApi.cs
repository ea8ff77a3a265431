using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Billing.Model;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>A table's bill split evenly among its guests or by the lines each had; each part is then paid on its own.</summary>
public static class SplitApi
{
    public static IEndpointRouteBuilder MapSplitApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();
        api.MapGet("/bills/{id:guid}/split", GetSplitAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));
        api.MapPost("/bills/{id:guid}/split", SplitAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));
        return app;
    }

    /// <summary>The bill's lines and its parts with what each has paid (none when the bill is not split).</summary>
    public static async Task<Results<Ok<SplitResponse>, ProblemHttpResult>> GetSplitAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");
        return TypedResults.Ok(await AnswerAsync(bill, services, ct));
    }

    /// <summary>
    /// Splits the bill: <c>{"guests": N}</c> in N equal parts (cents left over go to the first parts), or
    /// <c>{"parts": [{"line_nos": [..]}, ..]}</c> by items, every line in exactly one part, each part's share of the total
    /// in proportion to its lines. The parts add up to the total to the cent. A bill is split before it is paid: 409
    /// <c>bill_has_payments</c> once a payment holds part of it; splitting again replaces the parts.
    /// </summary>
    public static async Task<Results<Ok<SplitResponse>, ProblemHttpResult>> SplitAsync(
        Guid id, SplitBillRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        if ((request.Guests is null) == (request.Parts is null)) rules.Add("guests", "or parts is required, not both.");
        else if (request.Guests is { } guests && guests is < 2 or > SplitRules.MaxParts) rules.Add("guests", $"must be from 2 to {SplitRules.MaxParts}.");
        else if (request.Parts is { } parts && parts.Any(p => p?.LineNos is null)) rules.Add("parts", "must each name their lines: {\"line_nos\": [1, 2]}.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");
        var lines = await services.Split.LinesAsync(id, ct);
        var byItems = request.Parts?.Select(p => (IReadOnlyList<int>)p!.LineNos!).ToList();
        if (byItems is not null && SplitRules.WhyNot(lines, byItems) is { } why) return Problems.Validation("parts", why);

        var refusal = await services.Database.InTransactionAsync(async tx =>
        {
            var current = (await services.Bills.LockAsync(tx, id, ct))!;
            if (!current.IsOpen) return NotOpen(current);
            if ((await services.Payments.ListByBillAsync(tx, id, ct)).Any(p => PaymentStatus.Holds(p.Status)))
                return Problems.Conflict("bill_has_payments", "Payments were already taken on this bill; split it before the first payment.");
            var parts = byItems is null ? SplitRules.Evenly(current.TotalAmount, request.Guests!.Value) : SplitRules.ByItems(current.TotalAmount, lines, byItems);
            await services.Split.ReplacePartsAsync(tx, id, parts, ct);
            await services.Bills.SetSplitKindAsync(tx, id, byItems is null ? SplitKind.Even : SplitKind.Items, tx.Clock.GetUtcNow(), ct);
            return null;
        }, ct);
        if (refusal is not null) return refusal;
        return TypedResults.Ok(await AnswerAsync((await services.Bills.FindAsync(id, ct))!, services, ct));
    }

    private static async Task<SplitResponse> AnswerAsync(Bill bill, BillingServices services, CancellationToken ct) =>
        SplitResponse.From(bill, await services.Split.LinesAsync(bill.Id, ct), await services.Split.PartsAsync(bill.Id, ct),
            await services.Payments.ListByBillAsync(bill.Id, ct));

    internal static ProblemHttpResult NotOpen(Bill bill) => bill.Status == BillStatus.Void
        ? Problems.Conflict("bill_void", "The order was cancelled; its bill is void and cannot be paid.")
        : Problems.Conflict("bill_already_paid", $"The bill was already paid on {bill.PaidAt:u}.");
}
