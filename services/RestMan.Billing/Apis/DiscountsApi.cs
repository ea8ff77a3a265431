using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RestMan.Billing.Model;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.Apis;

/// <summary>
/// The restaurant's money rules: its discount codes and its tax and service charge (the owner's), and discounts put on a
/// bill before tax (a code, or the staff's with a reason).
/// </summary>
public static partial class DiscountsApi
{
    // Codes are counted one use at a time under the code's row lock: many tables applying one code at once wait in line.
    private static readonly TransactionRetryPolicy CodeUsePolicy = TransactionRetryPolicy.Default with { MaxAttempts = 60 };

    public static IEndpointRouteBuilder MapDiscountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();
        api.MapPost("/bills/{id:guid}/discount", ApplyAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));
        api.MapPost("/restaurants/{restaurantId:guid}/discount-codes", CreateCodeAsync).RequireAuthorization(Roles.Owner);
        api.MapGet("/restaurants/{restaurantId:guid}/discount-codes", ListCodesAsync).RequireAuthorization(Roles.Owner);
        api.MapGet("/restaurants/{restaurantId:guid}/charges", GetChargesAsync).RequireAuthorization(Roles.Owner);
        api.MapPut("/restaurants/{restaurantId:guid}/charges", SetChargesAsync).RequireAuthorization(Roles.Owner);
        return app;
    }

    [GeneratedRegex("^[A-Z0-9_-]{2,40}$")]
    private static partial Regex CodeShape();

    /// <summary>Creates a discount code; 409 <c>discount_code_taken</c> when the restaurant already has one by that name.</summary>
    public static async Task<Results<Created<DiscountCodeResponse>, ProblemHttpResult>> CreateCodeAsync(
        Guid restaurantId, CreateDiscountCodeRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var code = request.Code?.Trim().ToUpperInvariant();
        if (code is null || !CodeShape().IsMatch(code)) rules.Add("code", "must be 2 to 40 letters, digits, '-' or '_'.");
        var kind = rules.OneOf(request.Kind, "kind", DiscountKind.All);
        if (request.Value is not { } value || value <= 0 || value != Money.Round(value) || (kind == DiscountKind.Percent && value > 100) || value > 1_000_000)
            rules.Add("value", "must be more than 0 in whole cents; a percentage at most 100.");
        if (request.MinSpend is { } min && (min < 0 || min > 1_000_000)) rules.Add("min_spend", "must be 0 or more.");
        if (request.MaxUses is { } max && max is < 1 or > 1_000_000) rules.Add("max_uses", "must be 1 or more.");
        if (request.ValidFrom is { } from && request.ValidUntil is { } until && until <= from) rules.Add("valid_until", "must be after valid_from.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");

        var created = new DiscountCode(Guid.NewGuid(), restaurantId, code!, kind!, request.Value!.Value, request.ValidFrom, request.ValidUntil,
            Money.Round(request.MinSpend ?? 0m), request.MaxUses, 0, services.Database.Clock.GetUtcNow());
        if (!await services.Discounts.InsertCodeAsync(created, ct))
            return Problems.Conflict("discount_code_taken", $"The restaurant already has a code {code}.");
        return TypedResults.Created($"/billing/restaurants/{restaurantId}/discount-codes", DiscountCodeResponse.From(created));
    }

    /// <summary>The restaurant's codes with how often each was used.</summary>
    public static async Task<Results<Ok<List<DiscountCodeResponse>>, ProblemHttpResult>> ListCodesAsync(
        Guid restaurantId, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        if (!await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");
        return TypedResults.Ok((await services.Discounts.ListCodesAsync(restaurantId, ct)).Select(DiscountCodeResponse.From).ToList());
    }

    /// <summary>
    /// Puts a discount on the bill, before tax: <c>{"code": ...}</c>, or the staff's <c>{"percent"|"amount": ..., "reason": ...}</c>.
    /// One discount per bill, before any payment (a split bill is split again). 409 <c>discount_already_applied</c>,
    /// <c>bill_has_payments</c>, <c>discount_code_expired</c>, <c>discount_code_not_yet_valid</c>,
    /// <c>discount_minimum_spend</c>, <c>discount_code_used_up</c>. Announces <c>discount.applied</c>.
    /// </summary>
    public static async Task<Results<Ok<BillResponse>, ProblemHttpResult>> ApplyAsync(
        Guid id, ApplyDiscountRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var code = request.Code?.Trim().ToUpperInvariant();
        var given = new[] { code is not null, request.Percent is not null, request.Amount is not null }.Count(g => g);
        if (given != 1) rules.Add("code", "or percent or amount is required, only one of them.");
        if (code is not null && !CodeShape().IsMatch(code)) rules.Add("code", "is not a discount code.");
        if (request.Percent is { } percent && (percent <= 0 || percent > 100 || percent != Money.Round(percent))) rules.Add("percent", "must be more than 0 and at most 100.");
        if (request.Amount is { } amount && (amount <= 0 || amount > 1_000_000 || amount != Money.Round(amount))) rules.Add("amount", "must be more than 0, in whole cents.");
        var reason = rules.OptionalText(request.Reason, "reason", 200);
        if (code is null && reason is null && !rules.Has("reason")) rules.Add("reason", "is required for a staff discount.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null || !await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct)) return Problems.NotFound("The bill");

        var outcome = await services.Database.InTransactionAsync<(ProblemHttpResult? Problem, Bill? Bill)>(CodeUsePolicy, async tx =>
        {
            var current = (await services.Bills.LockAsync(tx, id, ct))!;
            if (!current.IsOpen) return (SplitApi.NotOpen(current), null);
            if (current.DiscountKind is not null)
                return (Problems.Conflict("discount_already_applied", "The bill already has a discount."), null);
            var onBill = await services.Payments.ListByBillAsync(tx, id, ct);
            if (onBill.Any(p => PaymentStatus.Holds(p.Status)))
                return (Problems.Conflict("bill_has_payments", "Payments were already taken on this bill; discount it before the first payment."), null);

            var now = tx.Clock.GetUtcNow();
            var discounted = current with { DiscountReason = reason };
            if (code is not null)
            {
                if (await services.Discounts.LockCodeAsync(tx, current.RestaurantId, code, ct) is not { } found)
                    return (Problems.Validation("code", "is not a discount code of this restaurant."), null);
                if (found.ValidFrom > now) return (Problems.Conflict("discount_code_not_yet_valid", $"The code is valid from {found.ValidFrom:u}."), null);
                if (found.ValidUntil < now) return (Problems.Conflict("discount_code_expired", $"The code expired on {found.ValidUntil:u}."), null);
                if (current.Subtotal < found.MinSpend)
                    return (Problems.Conflict("discount_minimum_spend", $"The code needs a spend of at least {found.MinSpend:0.00}; the bill is {current.Subtotal:0.00}."), null);
                if (found.MaxUses is { } max && found.Uses >= max) return (Problems.Conflict("discount_code_used_up", "The code was used as many times as it may be."), null);
                await services.Discounts.CountUseAsync(tx, found.Id, ct);
                discounted = discounted with { DiscountCode = found.Code, DiscountKind = found.Kind, DiscountValue = found.Value };
            }
            else
            {
                discounted = request.Percent is { } off
                    ? discounted with { DiscountKind = DiscountKind.Percent, DiscountValue = off }
                    : discounted with { DiscountKind = DiscountKind.Fixed, DiscountValue = request.Amount };
            }
            var updated = await services.Bills.RecomputeAsync(tx, discounted, current.Subtotal, now, ct);
            // A split bill is split again over the new total, the same way.
            if (updated.SplitKind is not null)
            {
                var parts = await services.Split.PartsAsync(tx, id, ct);
                var lines = await services.Split.LinesAsync(id, ct);
                await services.Split.ReplacePartsAsync(tx, id, updated.SplitKind == SplitKind.Even
                    ? SplitRules.Evenly(updated.TotalAmount, parts.Count)
                    : SplitRules.ByItems(updated.TotalAmount, lines, parts.Select(p => p.LineNos!).ToList()), ct);
            }
            tx.Publish(new DiscountApplied(updated.Id, updated.OrderId, updated.RestaurantId, updated.DiscountCode, updated.DiscountKind!,
                updated.DiscountValue!.Value, updated.DiscountAmount, reason, user.Role() ?? "", user.UserId(), now));
            return (null, updated);
        }, ct);
        if (outcome.Problem is not null) return outcome.Problem;
        services.Logger.LogInformation("Discount {Amount} on bill {BillId} ({Code})", outcome.Bill!.DiscountAmount, id, outcome.Bill.DiscountCode ?? "staff");
        return TypedResults.Ok(BillResponse.From(outcome.Bill));
    }

    /// <summary>The restaurant's tax rate and service charge for new bills (the configured tax rate until the owner sets one).</summary>
    public static async Task<Results<Ok<ChargesResponse>, ProblemHttpResult>> GetChargesAsync(
        Guid restaurantId, ClaimsPrincipal user, [AsParameters] BillingServices services, IOptions<BillingOptions> options, CancellationToken ct)
    {
        if (!await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");
        var charges = await services.Discounts.FindChargesAsync(restaurantId, ct) ?? new RestaurantCharges(options.Value.TaxRate, 0m, null);
        return TypedResults.Ok(new ChargesResponse(restaurantId, charges.TaxRate, charges.ServiceChargeRate, charges.ServiceChargeMinCovers));
    }

    /// <summary>Sets the tax rate and service charge of the restaurant's new bills; bills already open keep theirs.</summary>
    public static async Task<Results<Ok<ChargesResponse>, ProblemHttpResult>> SetChargesAsync(
        Guid restaurantId, ChargesRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.TaxRate is not { } tax || tax < 0 || tax >= 1 || tax != Math.Round(tax, 4)) rules.Add("tax_rate", "must be a fraction from 0 to below 1 (0.10 is 10 %), at most 4 decimals.");
        var service = request.ServiceChargeRate ?? 0m;
        if (service < 0 || service >= 1 || service != Math.Round(service, 4)) rules.Add("service_charge_rate", "must be a fraction from 0 to below 1 (0.125 is 12.5 %).");
        if (request.ServiceChargeMinCovers is { } min && min is < 1 or > 100) rules.Add("service_charge_min_covers", "must be from 1 to 100.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");

        var charges = new RestaurantCharges(request.TaxRate!.Value, service, request.ServiceChargeMinCovers);
        await services.Discounts.SaveChargesAsync(restaurantId, charges, services.Database.Clock.GetUtcNow(), ct);
        return TypedResults.Ok(new ChargesResponse(restaurantId, charges.TaxRate, charges.ServiceChargeRate, charges.ServiceChargeMinCovers));
    }
}
