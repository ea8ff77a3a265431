using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using RestMan.Billing.Model;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.Apis;

/// <summary>An order's bill: read by its customer or the restaurant's owner, settled by the owner.</summary>
public static class BillingApi
{
    public static RouteGroupBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/billing").AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("/orders/{orderId:guid}", GetBillAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner)).Produces<BillResponse>();
        api.MapPost("/orders/{orderId:guid}/finalize", FinalizeAsync).RequireAuthorization(Roles.Owner).Produces<BillResponse>();
        api.MapPatch("/bills/{id:guid}/payment", ChangePaymentMethodAsync).RequireAuthorization(Roles.Owner).Produces<BillResponse>();

        // The first implementation's reads: one alias, and the two lists it had.
        api.MapGet("/bills/order/{orderId:guid}", GetBillAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner))
            .AsFirstImplementationAlias("GET /billing/orders/{order_id}").Produces<BillResponse>();
        api.MapGet("/users/{userId:guid}", ListCustomerBillsAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner))
            .WithTags(OpenApiDefaults.CompatibilityTag).Produces<List<BillResponse>>();
        api.MapGet("/restaurants/{restaurantId:guid}", ListRestaurantBillsAsync).RequireAuthorization(Roles.Owner)
            .WithTags(OpenApiDefaults.CompatibilityTag).Produces<List<BillResponse>>();

        return api;
    }

    public static async Task<IResult> GetBillAsync(Guid orderId, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var bill = await services.Bills.FindByOrderAsync(orderId, ct);
        if (bill is null) return Problems.NotFound("The bill");
        if (user.IsInRole(Roles.Customer))
            return bill.UserId == user.UserId() ? TypedResults.Ok(BillResponse.From(bill)) : Problems.NotFound("The bill");
        return await OwnsAsync(bill, user, services, ct) ? TypedResults.Ok(BillResponse.From(bill)) : Problems.NotFound("The bill");
    }

    /// <summary>
    /// A customer's bills, newest first: their own to a customer; to an owner, those of the restaurants they own (none of
    /// anyone else's). <c>?page=&amp;page_size=</c>.
    /// </summary>
    public static async Task<IResult> ListCustomerBillsAsync(
        Guid userId, string? page, [FromQuery(Name = "page_size")] string? pageSize, ClaimsPrincipal user, [AsParameters] BillingServices services,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var (pageNumber, size) = Paging.Parse(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (user.IsInRole(Roles.Customer) && userId != user.UserId()) return Problems.Forbidden("Customers see only their own bills.");

        var scope = user.IsInRole(Roles.Owner) ? await services.OwnedRestaurants.OwnedByAsync(user, ct) : null;
        if (scope is { Count: 0 }) return TypedResults.Ok(Array.Empty<BillResponse>());
        var bills = await services.Bills.ListByUserAsync(userId, scope, pageNumber, size, ct);
        return TypedResults.Ok(bills.Select(BillResponse.From).ToList());
    }

    /// <summary>The bills of a restaurant its owner owns, newest first; to anyone else the restaurant has none to show. <c>?page=&amp;page_size=</c>.</summary>
    public static async Task<IResult> ListRestaurantBillsAsync(
        Guid restaurantId, string? page, [FromQuery(Name = "page_size")] string? pageSize, ClaimsPrincipal user, [AsParameters] BillingServices services,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var (pageNumber, size) = Paging.Parse(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!(await services.OwnedRestaurants.OwnedByAsync(user, ct)).Contains(restaurantId)) return Problems.NotFound("The restaurant");

        var bills = await services.Bills.ListByRestaurantAsync(restaurantId, pageNumber, size, ct);
        return TypedResults.Ok(bills.Select(BillResponse.From).ToList());
    }

    /// <summary>
    /// Marks the bill PAID with the method given (or the one set before) and announces <c>bill.paid</c>. A bill is
    /// paid once: finalizing it again, or finalizing a voided one, is a 409.
    /// </summary>
    public static async Task<IResult> FinalizeAsync(
        Guid orderId, FinalizeBillRequest? request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        var method = PaymentMethod.Normalize(request?.PaymentMethod);
        if (request?.PaymentMethod is not null && method is null) return InvalidPaymentMethod();

        var bill = await services.Bills.FindByOrderAsync(orderId, ct);
        if (bill is null) return Problems.NotFound("The bill");
        if (!await OwnsAsync(bill, user, services, ct)) return Problems.NotFound("The bill");

        var outcome = await services.Database.InTransactionAsync<IResult?>(async (connection, transaction, token) =>
        {
            var current = (await services.Bills.LockAsync(connection, transaction, bill.Id, token))!;
            if (NotPending(current) is { } conflict) return conflict;
            if ((method ?? current.PaymentMethod) is not { } paidWith)
                return Problems.Validation("payment_method", $"is required to settle the bill: one of {string.Join(", ", PaymentMethod.All)}.");

            var paid = await services.Bills.MarkPaidAsync(connection, transaction, current.Id, paidWith, services.Clock.GetUtcNow(), token);
            await services.Outbox.AddAsync(connection, transaction,
                new BillPaid(paid.Id, paid.OrderId, paid.RestaurantId, paid.TotalAmount, paidWith, paid.PaidAt!.Value), token);
            return null;
        }, ct);
        if (outcome is not null) return outcome;

        services.OutboxSignal.Notify();
        var settled = (await services.Bills.FindAsync(bill.Id, ct))!;
        services.Logger.LogInformation("Bill {BillId} of order {OrderId} paid by {PaymentMethod}", settled.Id, settled.OrderId, settled.PaymentMethod);
        return TypedResults.Ok(BillResponse.From(settled));
    }

    /// <summary>Records how the customer will pay, any time before the bill is paid.</summary>
    public static async Task<IResult> ChangePaymentMethodAsync(
        Guid id, ChangePaymentMethodRequest request, ClaimsPrincipal user, [AsParameters] BillingServices services, CancellationToken ct)
    {
        if (PaymentMethod.Normalize(request.PaymentMethod) is not { } method) return InvalidPaymentMethod();

        var bill = await services.Bills.FindAsync(id, ct);
        if (bill is null) return Problems.NotFound("The bill");
        if (!await OwnsAsync(bill, user, services, ct)) return Problems.NotFound("The bill");

        var outcome = await services.Database.InTransactionAsync<IResult?>(async (connection, transaction, token) =>
        {
            var current = (await services.Bills.LockAsync(connection, transaction, id, token))!;
            if (NotPending(current) is { } conflict) return conflict;
            await services.Bills.SetPaymentMethodAsync(connection, transaction, id, method, services.Clock.GetUtcNow(), token);
            return null;
        }, ct);
        return outcome ?? TypedResults.Ok(BillResponse.From((await services.Bills.FindAsync(id, ct))!));
    }

    private static IResult? NotPending(Bill bill) => bill.Status switch
    {
        BillStatus.Paid => Problems.Conflict("bill_already_paid", $"The bill was already paid on {bill.PaidAt:u}."),
        BillStatus.Void => Problems.Conflict("bill_void", "The order was cancelled; its bill is void and cannot be paid."),
        _ => null,
    };

    private static IResult InvalidPaymentMethod() =>
        Problems.Validation("payment_method", $"must be one of {string.Join(", ", PaymentMethod.All)}.");

    /// <summary>Whether the caller owns the bill's restaurant; to any other owner the bill does not exist.</summary>
    private static async Task<bool> OwnsAsync(Bill bill, ClaimsPrincipal user, BillingServices services, CancellationToken ct) =>
        (await services.OwnedRestaurants.OwnedByAsync(user, ct)).Contains(bill.RestaurantId);
}
