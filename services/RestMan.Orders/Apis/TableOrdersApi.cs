using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Apis;

/// <summary>
/// Dine-in service: a waiter (or the owner) opens a table's order, adds rounds, removes a line the kitchen has not
/// started, moves the party to another table or merges two tables' orders. Every change is one transaction with its
/// events and, with an Idempotency-Key, happens once however often it is sent.
/// </summary>
public static class TableOrdersApi
{
    public static RouteGroupBuilder MapTableOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/orders").AddEndpointFilter<RestaurantsUnavailableFilter>()
            .RequireAuthorization(p => p.RequireRole(Roles.Waiter, Roles.Owner));

        api.MapPost("/dine-in", OpenTableOrderAsync);
        api.MapPost("/{id:guid}/rounds", AddRoundAsync);
        api.MapDelete("/{id:guid}/items/{lineNo:int}", RemoveItemAsync);
        api.MapPost("/{id:guid}/move", MoveAsync);
        api.MapPost("/{id:guid}/merge", MergeAsync);

        return api;
    }

    /// <summary>
    /// Opens the order of a free table (AVAILABLE, or RESERVED for this party): 201 with the order, its number and its
    /// first round if one was sent; 409 <c>table_not_free</c> when another party sits there (two waiters racing for one
    /// table: one order).
    /// </summary>
    public static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> OpenTableOrderAsync(
        OpenTableOrderRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.TableId is not { } tableId || tableId == Guid.Empty) rules.Add("table_id", "is required.");
        if (request.Covers is not (>= 1 and <= TableOrderRules.MaxCovers)) rules.Add("covers", $"must be a whole number from 1 to {TableOrderRules.MaxCovers}.");
        if (request.Items is { Count: > 0 }) OrderPlacement.CheckLines(request.Items, rules);
        rules.OptionalText(request.Notes, "notes", OrderPlacement.MaxTextLength);
        IdempotencyKey.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var table = await services.Tables.FindAsync(request.TableId!.Value, ct);
        if (table is not { RemovedAt: null } || !await services.Scope.CanSeeAsync(user, table.RestaurantId, ct)) return Problems.NotFound("The table");

        IReadOnlyList<OrderLine> firstRound = [];
        if (request.Items is { Count: > 0 })
        {
            var menu = await services.Restaurants.GetFoodsAsync(OrderPlacement.FoodIds(request.Items), ct);
            firstRound = OrderPlacement.Price(table.RestaurantId, request.Items, menu, rules);
            if (!rules.IsValid) return Problems.Validation(rules.Errors);
        }

        var by = new StatusChanger(user.Role()!, user.UserId());
        var key = idempotencyKey is null ? null : new IdempotencyKey(by.UserId!.Value, idempotencyKey,
            OrderPlacement.Fingerprint("dine-in", request.TableId, request.Covers, OrderPlacement.Canonical(request.Items), OrderPlacement.Clean(request.Notes)));
        var opening = await services.Database.InTransactionAsync(TransactionRetryPolicy.LookThenInsert,
            tx => services.TableOrders.OpenAsync(tx, by, table.Id, request.Covers!.Value, null, firstRound, request.Notes, key, ct), ct);
        switch (opening)
        {
            case TableOpening.Opened opened:
                services.Logger.LogInformation("Table {Table} opened order {OrderId} ({Number}) for {Covers}",
                    opened.Table.Number, opened.Order.Id, opened.Order.OrderNumber, opened.Order.Covers);
                return TypedResults.Created($"/orders/{opened.Order.Id}", OrderResponse.From((await services.Orders.FindAsync(opened.Order.Id, ct))!));
            case TableOpening.Replayed replayed:
                return TypedResults.Created($"/orders/{replayed.OrderId}", OrderResponse.From((await services.Orders.FindAsync(replayed.OrderId, ct))!));
            case TableOpening.TableNotFree notFree:
                return Problems.Conflict("table_not_free", notFree.Table.CurrentOrderId is { } current
                    ? $"Table {notFree.Table.Number} is {notFree.Table.Status} with order {current}; add a round to that order instead."
                    : $"Table {notFree.Table.Number} is {notFree.Table.Status}; it cannot take a party now.");
            case TableOpening.KeyReused:
                return IdempotencyKey.Reused("change");
            default:
                return Problems.NotFound("The table");
        }
    }

    /// <summary>
    /// Adds a round, priced from the menu: 201 with the order (its bill grown); the kitchen gets the round as its own
    /// ticket at once. 409 <c>order_closed</c> for a paid, cancelled or merged order.
    /// </summary>
    public static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> AddRoundAsync(
        Guid id,
        AddRoundRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        OrderPlacement.CheckLines(request.Items, rules);
        rules.OptionalText(request.Notes, "notes", OrderPlacement.MaxTextLength);
        IdempotencyKey.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (await VisibleTableOrderAsync(id, user, services, ct) is not { } known) return Problems.NotFound("The table order");

        var menu = await services.Restaurants.GetFoodsAsync(OrderPlacement.FoodIds(request.Items!), ct);
        var lines = OrderPlacement.Price(known.RestaurantId, request.Items!, menu, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var sent = Request(id, idempotencyKey, "round", OrderPlacement.Canonical(request.Items), OrderPlacement.Clean(request.Notes));
        var outcome = await services.Database.InTransactionAsync(TransactionRetryPolicy.LookThenInsert,
            tx => services.TableOrders.AddRoundAsync(tx, id, lines, request.Notes, Changer(user), sent, ct), ct);
        return (await AnswerAsync(outcome, id, services, ct)).Result switch
        {
            Ok<OrderResponse> ok => TypedResults.Created($"/orders/{id}", ok.Value),
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("unexpected answer"),
        };
    }

    /// <summary>
    /// Takes a line off while the kitchen has not started its round: 200 with the order (bill shrunk), the ticket line
    /// voided; 409 <c>kitchen_started</c> once the kitchen is on it. Removing a removed line again answers the same.
    /// </summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> RemoveItemAsync(
        Guid id,
        int lineNo,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        if (lineNo < 1) rules.Add("lineNo", "must be a line number of the order (1 or more).");
        return await ChangeAsync(id, rules, idempotencyKey, user, services,
            tx => services.TableOrders.RemoveItemAsync(tx, id, lineNo, Changer(user), Request(id, idempotencyKey, "remove", lineNo), ct), () => id, ct);
    }

    /// <summary>Moves the party to another free table of the restaurant: 200 with the order; the old table NEEDS_CLEANING.</summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> MoveAsync(
        Guid id,
        MoveTableOrderRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.TableId is not { } tableId || tableId == Guid.Empty) rules.Add("table_id", "is required.");
        return await ChangeAsync(id, rules, idempotencyKey, user, services,
            tx => services.TableOrders.MoveAsync(tx, id, request.TableId!.Value, Changer(user), Request(id, idempotencyKey, "move", request.TableId), ct), () => id, ct);
    }

    /// <summary>
    /// Merges this order into another open table order of the restaurant (<c>into_order_id</c>): 200 with the merged
    /// order; this one ends CANCELLED with <c>merged_into_order_id</c>, and its table NEEDS_CLEANING.
    /// </summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> MergeAsync(
        Guid id,
        MergeTableOrderRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.IntoOrderId is not { } into || into == Guid.Empty) rules.Add("into_order_id", "is required.");
        return await ChangeAsync(id, rules, idempotencyKey, user, services,
            tx => services.TableOrders.MergeAsync(tx, id, request.IntoOrderId!.Value, Changer(user), Request(id, idempotencyKey, "merge", request.IntoOrderId), ct),
            () => request.IntoOrderId!.Value, ct);
    }

    /// <summary>
    /// A change of a visible table order without new lines (remove, move, merge): input and key checked, one transaction,
    /// answered with the order <paramref name="answered"/> names once the change is done.
    /// </summary>
    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ChangeAsync(
        Guid id, InputRules rules, string? idempotencyKey, ClaimsPrincipal user, OrderServices services,
        Func<UnitOfWork, Task<TableOrderChange>> change, Func<Guid> answered, CancellationToken ct)
    {
        IdempotencyKey.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (await VisibleTableOrderAsync(id, user, services, ct) is null) return Problems.NotFound("The table order");

        var outcome = await services.Database.InTransactionAsync(TransactionRetryPolicy.LookThenInsert, change, ct);
        return await AnswerAsync(outcome, answered(), services, ct);
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> AnswerAsync(
        TableOrderChange outcome, Guid orderId, OrderServices services, CancellationToken ct) => outcome switch
    {
        TableOrderChange.Changed or TableOrderChange.AlreadyDone => TypedResults.Ok(OrderResponse.From((await services.Orders.FindAsync(orderId, ct))!)),
        TableOrderChange.Closed closed => Problems.Conflict("order_closed", closed.Why + " It can no longer change."),
        TableOrderChange.Refused refused => Problems.Conflict(refused.Code, refused.Detail),
        TableOrderChange.KeyReused => IdempotencyKey.Reused("change"),
        TableOrderChange.NotFound notFound => Problems.NotFound(notFound.What),
        _ => throw new InvalidOperationException($"unexpected outcome {outcome}"),
    };

    /// <summary>The table order <paramref name="id"/> if the caller may see its restaurant; null answers 404 either way.</summary>
    private static async Task<Order?> VisibleTableOrderAsync(Guid id, ClaimsPrincipal user, OrderServices services, CancellationToken ct) =>
        await services.Orders.FindAsync(id, ct) is { TableId: not null } order && await services.Scope.CanSeeAsync(user, order.RestaurantId, ct) ? order : null;

    private static StatusChanger Changer(ClaimsPrincipal user) => new(user.Role()!, user.UserId());

    private static TableOrderRequest? Request(Guid orderId, string? key, params object?[] fields) =>
        key is null ? null : new TableOrderRequest(orderId, key, OrderPlacement.Fingerprint(fields));
}
