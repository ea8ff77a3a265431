using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using RestMan.Billing.Model;
using RestMan.Billing.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Apis;

/// <summary>An order's bill: read by its customer or the restaurant's owner, settled by the owner.</summary>
public static class BillingApi
{
    public static RouteGroupBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("/orders/{orderId:guid}", GetBillAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner, Roles.Waiter));
        api.MapPost("/orders/{orderId:guid}/finalize", FinalizeAsync).RequireAuthorization(Roles.Owner);
        api.MapPatch("/bills/{id:guid}/payment", ChangePaymentMethodAsync).RequireAuthorization(Roles.Owner);

        // The first implementation's reads: one alias, and the two lists it had.
        api.MapGet("/bills/order/{orderId:guid}", GetBillAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner))
            .AsFirstImplementationAlias("GET /billing/orders/{order_id}");
        api.MapGet("/users/{userId:guid}", ListCustomerBillsAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner))
            .WithTags(OpenApiDefaults.CompatibilityTag);
        api.MapGet("/restaurants/{restaurantId:guid}", ListRestaurantBillsAsync).RequireAuthorization(Roles.Owner)
            .WithTags(OpenApiDefaults.CompatibilityTag);

        return api;
    }

    public static async Task<Results<Ok<BillResponse>, ProblemHttpResult>> GetBillAsync(
        Guid orderId, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var bill = await services.Bills.FindByOrderAsync(orderId, ct);
        if (bill is null) return Problems.NotFound("The bill");
        return await services.Scope.CanSeeCustomersAsync(user, bill.RestaurantId, bill.UserId, ct)
            ? TypedResults.Ok(BillResponse.From(bill)) : Problems.NotFound("The bill");
    }

    /// <summary>
    /// A customer's bills, newest first: their own to a customer; to an owner, those of the restaurants they own (none of
    /// anyone else's). <c>?page=&amp;page_size=</c>.
    /// </summary>
    public static async Task<Results<Ok<List<BillResponse>>, ProblemHttpResult>> ListCustomerBillsAsync(
        Guid userId, string? page, [FromQuery(Name = "page_size")] string? pageSize, ClaimsPrincipal user, [AsParameters] BillingServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (user.IsInRole(Roles.Customer) && userId != user.UserId()) return Problems.Forbidden("Customers see only their own bills.");

        var scope = user.IsInRole(Roles.Owner) ? await services.Scope.VisibleAsync(user, ct) : null;
        if (scope is { Count: 0 }) return TypedResults.Ok(new List<BillResponse>());
        var bills = await services.Bills.ListByUserAsync(userId, scope, pageNumber, size, ct);
        return TypedResults.Ok(bills.Select(BillResponse.From).ToList());
    }

    /// <summary>The bills of a restaurant its owner owns, newest first; to anyone else the restaurant has none to show. <c>?page=&amp;page_size=</c>.</summary>
    public static async Task<Results<Ok<List<BillResponse>>, ProblemHttpResult>> ListRestaurantBillsAsync(
        Guid restaurantId, string? page, [FromQuery(Name = "page_size")] string? pageSize, ClaimsPrincipal user, [AsParameters] BillingServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");

        var bills = await services.Bills.ListByRestaurantAsync(restaurantId, pageNumber, size, ct);
        return TypedResults.Ok(bills.Select(BillResponse.From).ToList());
    }

    /// <summary>
    /// Settles the rest of the bill in one payment by the method given (or the one set before), taken by the owner outside
    /// RestMan (cash, or the restaurant's own card terminal): it is captured as recorded, and <c>bill.paid</c> goes out.
    /// A bill is paid once: finalizing it again, or finalizing a voided one, is a 409.
    /// </summary>
    public static async Task<Results<Ok<BillResponse>, ProblemHttpResult>> FinalizeAsync(
        Guid orderId, FinalizeBillRequest? request, ClaimsPrincipal user, [AsParameters] BillingServices services, Settlement settlement,
        CancellationToken ct)
    {
        var method = PaymentMethod.Normalize(request?.PaymentMethod);
        if (request?.PaymentMethod is not null && method is null) return InvalidPaymentMethod();

        var bill = await services.Bills.FindByOrderAsync(orderId, ct);
        if (bill is null) return Problems.NotFound("The bill");
        if (!await OwnsAsync(bill, user, services, ct)) return Problems.NotFound("The bill");
        if (NotOpen(bill) is { } closed) return closed;
        if ((method ?? bill.PaymentMethod) is not { } paidWith)
            return Problems.Validation("payment_method", $"is required to settle the bill: one of {string.Join(", ", PaymentMethod.All)}.");

        var settled = await settlement.PayRestAsync(bill.Id, paidWith, user.UserId(), ct);
        if (settled is MoneyMove<Payment>.Taken taken)
            services.Logger.LogInformation("Bill {BillId} of order {OrderId} paid by {PaymentMethod}", taken.Bill.Id, taken.Bill.OrderId, paidWith);
        return settled.ToOk("payment", (_, paid) => BillResponse.From(paid));
    }

    /// <summary>Records how the customer will pay, any time before the bill is paid.</summary>
    public static async Task<Results<Ok<BillResponse>, ProblemHttpResult>> ChangePaymentMethodAsync(
        Guid id, ChangePaymentMethodRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        if (PaymentMethod.Normalize(request.PaymentMethod) is not { } method) return InvalidPaymentMethod();

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null) return Problems.NotFound("The bill");
        if (!await OwnsAsync(bill, user, services, ct)) return Problems.NotFound("The bill");

        var found = await services.Database.InTransactionAsync(async tx =>
        {
            var current = (await services.Bills.LockAsync(tx, id, ct))!;
            if (current.IsOpen) await services.Bills.SetPaymentMethodAsync(tx, id, method, tx.Clock.GetUtcNow(), ct);
            return current;
        }, ct);
        return NotOpen(found) is { } conflict ? conflict : TypedResults.Ok(BillResponse.From((await services.Bills.FindAsync(id, ct))!));
    }

    private static ProblemHttpResult? NotOpen(Bill bill) => bill.Status switch
    {
        BillStatus.Paid => Problems.Conflict("bill_already_paid", $"The bill was already paid on {bill.PaidAt:u}."),
        BillStatus.Void => Problems.Conflict("bill_void", "The order was cancelled; its bill is void and cannot be paid."),
        _ => null,
    };

    private static ProblemHttpResult InvalidPaymentMethod() =>
        Problems.Validation("payment_method", $"must be one of {string.Join(", ", PaymentMethod.All)}.");

    /// <summary>Whether the caller owns the bill's restaurant; to any other owner the bill does not exist.</summary>
    private static async Task<bool> OwnsAsync(Bill bill, ClaimsPrincipal user, BillingServices services, CancellationToken ct) =>
        await services.Scope.CanSeeAsync(user, bill.RestaurantId, ct);
}
