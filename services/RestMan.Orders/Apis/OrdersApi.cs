using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Messaging;
using RestMan.Identity.Ownership;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Apis;

/// <summary>Placing orders, reading them, and moving them along their status path.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/orders").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var people = new[] { Roles.Customer, Roles.Owner, Roles.KitchenStaff, Roles.Waiter };

        api.MapPost("", PlaceOrderAsync).RequireAuthorization(Roles.Customer);
        api.MapGet("", ListOrdersAsync).RequireAuthorization(p => p.RequireRole(people));
        api.MapGet("/{id:guid}", GetOrderAsync).RequireAuthorization(p => p.RequireRole(people));
        api.MapGet("/{id:guid}/timeline", GetTimelineAsync).RequireAuthorization(p => p.RequireRole(people));
        api.MapPatch("/{id:guid}/status", ChangeStatusAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner));

        return api;
    }

    /// <summary>
    /// Prices the order from the Restaurants service's menu and stores it with its first history step and its
    /// <c>order.placed</c> event in one transaction. With an Idempotency-Key, a replay returns the first order.
    /// </summary>
    public static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> PlaceOrderAsync(
        PlaceOrderRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = OrderPlacement.CheckShape(request);
        IdempotencyKey.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var customerId = user.UserId();
        var key = idempotencyKey is null ? null : new IdempotencyKey(customerId, idempotencyKey, OrderPlacement.Fingerprint(request));
        if (await services.Placement.FindEarlierAsync(key, ct) is { } earlier) return await AnswerAsync(earlier, null, services, ct);

        // One call: the foods say whether their restaurant takes orders; only when none is the restaurant's is it asked.
        var restaurantId = request.RestaurantId!.Value;
        var menu = await services.Restaurants.GetFoodsAsync(OrderPlacement.FoodIds(request), ct);
        var open = menu.Values.FirstOrDefault(food => food.RestaurantId == restaurantId) is { RestaurantIsActive: { } active }
            ? active
            : await services.Restaurants.IsOpenAsync(restaurantId, ct);
        if (!open) return Problems.Validation("restaurant_id", "is not a restaurant that takes orders.");

        var lines = OrderPlacement.Price(request, menu, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        // From this instance's block of the restaurant's day: no round trip of its own, except when a block runs out.
        var (number, day) = await services.Numbers.NextAsync(restaurantId, ct);
        var now = DatabaseTime.Stored(services.Database.Clock.GetUtcNow());
        var order = new Order(Guid.NewGuid(), customerId, restaurantId, request.OrderType!, OrderStatus.Placed,
            OrderPlacement.Total(lines), OrderPlacement.Clean(request.Notes), OrderPlacement.Clean(request.DeliveryAddress),
            now, now, null, null) { Items = lines, OrderNumber = number, ServiceDay = day };
        var outcome = await services.Placement.PlaceAsync(order, key, tx => tx.Publish(PlacedEvent(order)), ct);
        return await AnswerAsync(outcome, order, services, ct);
    }

    /// <summary>201 with the order placed now or by the same request earlier; 422 for a key reused on another order.</summary>
    private static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> AnswerAsync(
        PlacementOutcome outcome, Order? placed, OrderServices services, CancellationToken ct)
    {
        switch (outcome)
        {
            case PlacementOutcome.Placed:
                services.Logger.LogInformation("Order {OrderId} placed at restaurant {RestaurantId} for {Total}", placed!.Id, placed.RestaurantId, placed.TotalPrice);
                return TypedResults.Created($"/orders/{placed.Id}", OrderResponse.From(placed));
            case PlacementOutcome.Replayed replayed:
                var order = (await services.Orders.FindAsync(replayed.OrderId, ct))!;
                return TypedResults.Created($"/orders/{order.Id}", OrderResponse.From(order));
            default:
                return IdempotencyKey.Reused("order");
        }
    }

    public static async Task<Results<Ok<OrderPage>, ProblemHttpResult>> ListOrdersAsync(
        ClaimsPrincipal user,
        [FromQuery] string? status,
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        status = status?.Trim().ToUpperInvariant();
        if (status is not null && !OrderStatus.IsKnown(status)) rules.Add("status", $"must be one of {string.Join(", ", OrderStatus.All)}.");
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        OrderFilter filter;
        if (user.Role() == Roles.Customer) filter = new OrderFilter(user.UserId(), null, restaurant, status);
        else if (await services.Scope.ResolveAsync(user, restaurant, ct) is { } scope) filter = new OrderFilter(null, scope, null, status);
        else return Problems.NotFound("The restaurant");
        var (orders, total) = await services.Orders.ListAsync(filter, pageNumber, size, ct);
        return TypedResults.Ok(new OrderPage(orders.Select(OrderResponse.From).ToList(), pageNumber, size, total));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrderAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var order = await services.Orders.FindAsync(id, ct);
        return order is not null && await CanSeeAsync(user, order, services, ct) ? TypedResults.Ok(OrderResponse.From(order)) : Problems.NotFound("The order");
    }

    /// <summary>Every status the order has had, oldest first, with when and by whom.</summary>
    public static async Task<Results<Ok<OrderTimeline>, ProblemHttpResult>> GetTimelineAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var order = await services.Orders.FindAsync(id, ct);
        if (order is null || !await CanSeeAsync(user, order, services, ct)) return Problems.NotFound("The order");
        var history = await services.Orders.HistoryAsync(id, ct);
        return TypedResults.Ok(new OrderTimeline(order.Id, order.Status,
            history.Select(s => new TimelineStep(s.NewStatus, s.ChangedAt, s.OldStatus, s.ChangedBy, s.ChangedByUserId)).ToList()));
    }

    /// <summary>
    /// The owner moves the order one step along its path, or cancels it before it is READY; the customer may cancel
    /// while it is still PLACED. Anything else is a 409 naming the statuses.
    /// </summary>
    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ChangeStatusAsync(
        Guid id, ChangeOrderStatusRequest request, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var target = request.Status?.Trim().ToUpperInvariant();
        if (!OrderStatus.IsKnown(target)) return Problems.Validation("status", $"must be one of {string.Join(", ", OrderStatus.All)}.");
        var role = user.Role()!;
        var changer = new StatusChanger(role, user.UserId());
        if (role == Roles.Customer && target != OrderStatus.Cancelled)
            return Problems.Forbidden("Customers can only cancel their own order; the restaurant moves it along.");
        // An order never changes restaurant or customer, so who may change it is settled before the transaction.
        var known = await services.Orders.FindAsync(id, ct);
        if (known is null || !await CanSeeAsync(user, known, services, ct)) return Problems.NotFound("The order");

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var order = await services.Orders.LockAsync(tx, id, ct);
            if (order is null) return new StatusChange.NotFound();
            var allowed = role == Roles.Customer
                ? OrderStatusMachine.CustomerCanMove(order.Status, target!)
                : OrderStatusMachine.CanMove(order.Status, target!);
            if (!allowed) return new StatusChange.Refused(order.Status);
            await services.Lifecycle.MoveAsync(tx, order, target!, changer, tx.Clock.GetUtcNow(), ct);
            return new StatusChange.Moved();
        }, ct);
        return outcome switch
        {
            StatusChange.Moved => TypedResults.Ok(OrderResponse.From((await services.Orders.FindAsync(id, ct))!)),
            StatusChange.Refused refused => Problems.Conflict("illegal_transition", role == Roles.Customer
                ? $"The order is {refused.From}; a customer can cancel only while it is {OrderStatus.Placed}."
                : $"An order that is {refused.From} cannot become {target}."),
            _ => Problems.NotFound("The order"),
        };
    }

    private static OrderPlaced PlacedEvent(Order order) => new(
        order.Id, order.UserId, order.RestaurantId, order.OrderType, order.TotalPrice,
        order.Items.Select(i => i.ToPlacedItem()).ToList(),
        order.PlacedAt, order.Notes, order.DeliveryAddress, order.OrderNumber);

    /// <summary>Its customer, its restaurant's owner and that restaurant's staff; to anyone else it does not exist.</summary>
    private static async Task<bool> CanSeeAsync(ClaimsPrincipal user, Order order, OrderServices services, CancellationToken ct) =>
        user.Role() == Roles.Customer ? order.UserId == user.UserId() : await services.Scope.CanSeeAsync(user, order.RestaurantId, ct);
}
