namespace RestMan.Messaging.IntegrationEvents;

// Order events: topic order.events, key: order id, so one order's events stay in order.

/// <summary>A customer placed an order; prices are the Restaurants service's, captured at placement.</summary>
public sealed record OrderPlaced(
    Guid OrderId,
    Guid UserId,
    Guid RestaurantId,
    string OrderType,
    decimal TotalPrice,
    IReadOnlyList<OrderPlacedItem> Items,
    DateTimeOffset PlacedAt,
    string? Notes = null,
    string? DeliveryAddress = null) : IIntegrationEvent<OrderPlaced>
{
    public static string EventType => "order.placed";
}

public sealed record OrderPlacedItem(Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal);

/// <summary>An order (or its kitchen ticket) moved from one status to another; <c>changed_by</c> is the actor's role.</summary>
public sealed record OrderStatusUpdated(
    Guid OrderId,
    string OldStatus,
    string NewStatus,
    string ChangedBy,
    Guid? ChangedByUserId,
    DateTimeOffset ChangedAt) : IIntegrationEvent<OrderStatusUpdated>
{
    public static string EventType => "order.status_updated";
}
