using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Apis;

/// <summary>Placing orders, reading them, and moving them along their status path.</summary>
public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/orders").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var people = new[] { Roles.Customer, Roles.Owner, Roles.KitchenStaff };

        api.MapPost("", PlaceOrderAsync).RequireAuthorization(Roles.Customer).Produces<OrderResponse>(StatusCodes.Status201Created);
        api.MapGet("", ListOrdersAsync).RequireAuthorization(p => p.RequireRole(people)).Produces<OrderPage>();
        api.MapGet("/{id:guid}", GetOrderAsync).RequireAuthorization(p => p.RequireRole(people)).Produces<OrderResponse>();
        api.MapGet("/{id:guid}/timeline", GetTimelineAsync).RequireAuthorization(p => p.RequireRole(people)).Produces<OrderTimeline>();
        api.MapPatch("/{id:guid}/status", ChangeStatusAsync).RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Owner)).Produces<OrderResponse>();

        return api;
    }

    /// <summary>
    /// Prices the order from the Restaurants service's menu and stores it with its first history step and its
    /// <c>order.placed</c> event in one transaction. With an Idempotency-Key, a replay returns the first order.
    /// </summary>
    public static async Task<IResult> PlaceOrderAsync(
        PlaceOrderRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var errors = OrderPlacement.CheckShape(request);
        if (idempotencyKey is not null && !IsValidIdempotencyKey(idempotencyKey))
            errors[IdempotencyKeyHeader] = $"must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.";
        if (errors.Count > 0) return Problems.Validation(errors);

        var customerId = user.UserId();
        var fingerprint = OrderPlacement.Fingerprint(request);
        if (idempotencyKey is not null && await FindEarlierAsync(services, customerId, idempotencyKey, ct) is { } replayed)
            return await ReplayAsync(replayed, fingerprint, services, ct);

        // One call: the foods say whether their restaurant takes orders; only when none is the restaurant's is it asked.
        var restaurantId = request.RestaurantId!.Value;
        var menu = await services.Restaurants.GetFoodsAsync(OrderPlacement.FoodIds(request), ct);
        var open = menu.Values.FirstOrDefault(food => food.RestaurantId == restaurantId) is { RestaurantIsActive: { } active }
            ? active
            : await services.Restaurants.IsOpenAsync(restaurantId, ct);
        if (!open) return Problems.Validation("restaurant_id", "is not a restaurant that takes orders.");

        var lines = OrderPlacement.Price(request, menu, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = DatabaseTime.Stored(services.Clock.GetUtcNow());
        var order = new Order(Guid.NewGuid(), customerId, restaurantId, request.OrderType!, OrderStatus.Placed,
            OrderPlacement.Total(lines), OrderPlacement.Clean(request.Notes), OrderPlacement.Clean(request.DeliveryAddress),
            now, now, null, null) { Items = lines };

        // Two requests with one key can race past the check above; the key's primary key lets one win, the other replays it.
        var checkedBefore = true; // the first attempt follows the check above; any later one looks again
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // With a key the transaction finds its own earlier commit, so even a commit cut off by a restart may run again.
                var policy = idempotencyKey is null ? TransactionRetryPolicy.Default : TransactionRetryPolicy.Default with { RetryUncertainCommit = true };
                var earlier = await services.Database.InTransactionAsync(policy, async (connection, transaction, token) =>
                {
                    if (idempotencyKey is not null && !checkedBefore
                        && await services.Orders.FindIdempotencyKeyAsync(connection, transaction, customerId, idempotencyKey, token) is { } found)
                        return found;
                    checkedBefore = false;

                    // One round trip: the order with its lines and first step, its key and its event.
                    List<NpgsqlBatchCommand> alongside = [];
                    if (idempotencyKey is not null)
                        alongside.Add(OrderRepository.IdempotencyKeyInsert(customerId, idempotencyKey, fingerprint, order.Id, now));
                    alongside.Add(services.Outbox.AddCommand(PlacedEvent(order)));
                    await services.Orders.InsertAsync(connection, transaction, order, alongside, token);
                    return ((string RequestHash, Guid OrderId)?)null;
                }, ct);
                if (earlier is { } replay) return await ReplayAsync(replay, fingerprint, services, ct);
                break;
            }
            catch (Exception ex) when (attempt < 3 && PostgresErrors.IsUniqueViolation(ex))
            {
            }
        }

        services.OutboxSignal.Notify();
        services.Logger.LogInformation("Order {OrderId} placed at restaurant {RestaurantId} for {Total}", order.Id, order.RestaurantId, order.TotalPrice);
        return TypedResults.Created($"/orders/{order.Id}", OrderResponse.From(order));
    }

    public static async Task<IResult> ListOrdersAsync(
        ClaimsPrincipal user,
        [FromQuery] string? status,
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [AsParameters] OrderServices services,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        status = status?.Trim().ToUpperInvariant();
        if (status is not null && !OrderStatus.IsKnown(status)) errors["status"] = $"must be one of {string.Join(", ", OrderStatus.All)}.";
        Guid? restaurant = null;
        if (restaurantId is not null)
        {
            if (Guid.TryParse(restaurantId, out var parsed)) restaurant = parsed;
            else errors["restaurant_id"] = "must be a restaurant id.";
        }
        var (pageNumber, size) = Paging.Parse(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var filter = user.Role() switch
        {
            Roles.Customer => new OrderFilter(user.UserId(), null, restaurant, status),
            Roles.Owner => new OrderFilter(null, await services.OwnedRestaurants.OwnedByAsync(user, ct), restaurant, status),
            // Kitchen staff see the orders of the one restaurant they work for.
            _ => new OrderFilter(null, [user.RestaurantId() ?? Guid.Empty], restaurant, status),
        };
        var (orders, total) = await services.Orders.ListAsync(filter, pageNumber, size, ct);
        return TypedResults.Ok(new OrderPage(orders.Select(OrderResponse.From).ToList(), pageNumber, size, total));
    }

    public static async Task<IResult> GetOrderAsync(Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var order = await services.Orders.FindAsync(id, ct);
        return order is not null && await CanSeeAsync(user, order, services, ct) ? TypedResults.Ok(OrderResponse.From(order)) : Problems.NotFound("The order");
    }

    /// <summary>Every status the order has had, oldest first, with when and by whom.</summary>
    public static async Task<IResult> GetTimelineAsync(Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
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
    public static async Task<IResult> ChangeStatusAsync(
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

        var outcome = await services.Database.InTransactionAsync<IResult?>(async (connection, transaction, token) =>
        {
            var order = await services.Orders.LockAsync(connection, transaction, id, token);
            if (order is null) return Problems.NotFound("The order");
            var allowed = role == Roles.Customer
                ? OrderStatusMachine.CustomerCanMove(order.Status, target!)
                : OrderStatusMachine.CanMove(order.Status, target!);
            if (!allowed)
                return Problems.Conflict("illegal_transition", role == Roles.Customer
                    ? $"The order is {order.Status}; a customer can cancel only while it is {OrderStatus.Placed}."
                    : $"An order that is {order.Status} cannot become {target}.");
            await services.Lifecycle.MoveAsync(connection, transaction, order, target!, changer, services.Clock.GetUtcNow(), token);
            return null;
        }, ct);
        if (outcome is not null) return outcome;

        services.OutboxSignal.Notify();
        var changed = await services.Orders.FindAsync(id, ct);
        return TypedResults.Ok(OrderResponse.From(changed!));
    }

    /// <summary>
    /// A shortcut for replays, before the Restaurants service is asked for prices. Skipped while the database is away:
    /// the placing transaction checks the key again, and waits out a restart.
    /// </summary>
    private static async Task<(string RequestHash, Guid OrderId)?> FindEarlierAsync(
        OrderServices services, Guid customerId, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            await using var connection = await services.Database.OpenConnectionAsync(ct);
            return await services.Orders.FindIdempotencyKeyAsync(connection, null, customerId, idempotencyKey, ct);
        }
        catch (Exception ex) when (PostgresErrors.IsConnectionOutage(ex))
        {
            return null;
        }
    }

    private static async Task<IResult> ReplayAsync((string RequestHash, Guid OrderId) earlier, string fingerprint, OrderServices services, CancellationToken ct)
    {
        if (earlier.RequestHash != fingerprint)
            return Problems.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                "This Idempotency-Key was already used for a different order; send a new key for a new order.");
        var order = await services.Orders.FindAsync(earlier.OrderId, ct);
        return TypedResults.Created($"/orders/{order!.Id}", OrderResponse.From(order));
    }

    private static OrderPlaced PlacedEvent(Order order) => new(
        order.Id, order.UserId, order.RestaurantId, order.OrderType, order.TotalPrice,
        order.Items.Select(i => new OrderPlacedItem(i.FoodId, i.FoodName, i.Quantity, i.UnitPrice, i.LineTotal)).ToList(),
        order.PlacedAt, order.Notes, order.DeliveryAddress);

    /// <summary>Its customer, its restaurant's owner and that restaurant's kitchen staff; to anyone else it does not exist.</summary>
    private static async Task<bool> CanSeeAsync(ClaimsPrincipal user, Order order, OrderServices services, CancellationToken ct) => user.Role() switch
    {
        Roles.Customer => order.UserId == user.UserId(),
        Roles.Owner => (await services.OwnedRestaurants.OwnedByAsync(user, ct)).Contains(order.RestaurantId),
        Roles.KitchenStaff => order.RestaurantId == user.RestaurantId(),
        _ => false,
    };


    private static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');
}
