namespace RestMan.Messaging.IntegrationEvents;

// Order events: topic order.events, key: order id, so one order's events stay in order.

/// <summary>
/// A customer placed an order, or a waiter opened a table's order (<c>table_id</c>, <c>covers</c>, and the reservation it
/// seated, if any; its items are the first round, possibly none). Prices are the Restaurants service's, captured then.
/// </summary>
public sealed record OrderPlaced(
    Guid OrderId,
    Guid UserId,
    Guid RestaurantId,
    string OrderType,
    decimal TotalPrice,
    IReadOnlyList<OrderPlacedItem> Items,
    DateTimeOffset PlacedAt,
    string? Notes = null,
    string? DeliveryAddress = null,
    string? OrderNumber = null,
    Guid? TableId = null,
    int? Covers = null,
    Guid? ReservationId = null,
    int? TableNumber = null) : IIntegrationEvent<OrderPlaced>
{
    public static string EventType => "order.placed";
}

/// <summary>
/// One line; <c>unit_price</c> includes its options' price deltas. <c>options</c>, <c>note</c> and <c>allergens</c> (the
/// food's, for the kitchen) are absent on events from before modifiers.
/// </summary>
public sealed record OrderPlacedItem(
    Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal,
    IReadOnlyList<OrderItemOption>? Options = null, string? Note = null, IReadOnlyList<string>? Allergens = null);

/// <summary>A modifier option chosen on an order line (e.g. "Size: Large"), with what it added to the unit price.</summary>
public sealed record OrderItemOption(Guid Id, string Group, string Name, decimal PriceDelta);

/// <summary>
/// An order moved from one status to another (only Orders announces it; the kitchen's steps are <c>kitchen.*</c> events);
/// <c>changed_by</c> is the actor's role. <c>round</c> is only set by the first implementation's kitchen and is ignored.
/// </summary>
public sealed record OrderStatusUpdated(
    Guid OrderId,
    string OldStatus,
    string NewStatus,
    string ChangedBy,
    Guid? ChangedByUserId,
    DateTimeOffset ChangedAt,
    int? Round = null) : IIntegrationEvent<OrderStatusUpdated>
{
    public static string EventType => "order.status_updated";
}

/// <summary>One line of a table order's round; <c>line_no</c> names it for a later removal.</summary>
public sealed record OrderRoundItem(
    int LineNo, Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal,
    IReadOnlyList<OrderItemOption>? Options = null, string? Note = null, IReadOnlyList<string>? Allergens = null);

/// <summary>
/// A round was added to a table order: the kitchen cooks it as its own ticket; <c>total_price</c> is the order's new
/// total (the bill follows it). Round 1 of an order opened with items travels in <c>order.placed</c> instead.
/// </summary>
public sealed record OrderItemsAdded(
    Guid OrderId,
    Guid RestaurantId,
    string? OrderNumber,
    Guid? TableId,
    int? TableNumber,
    int Round,
    IReadOnlyList<OrderRoundItem> Items,
    decimal TotalPrice,
    string AddedBy,
    Guid? AddedByUserId,
    DateTimeOffset AddedAt,
    string? Notes = null) : IIntegrationEvent<OrderItemsAdded>
{
    public static string EventType => "order.items_added";
}

/// <summary>A line the kitchen had not started was taken off a table order: its ticket line is voided, the bill shrinks.</summary>
public sealed record OrderItemRemoved(
    Guid OrderId,
    Guid RestaurantId,
    int Round,
    int LineNo,
    Guid FoodId,
    string FoodName,
    int Quantity,
    decimal LineTotal,
    decimal TotalPrice,
    string RemovedBy,
    Guid? RemovedByUserId,
    DateTimeOffset RemovedAt) : IIntegrationEvent<OrderItemRemoved>
{
    public static string EventType => "order.item_removed";
}

/// <summary>A table order moved to another table (the party changed tables).</summary>
public sealed record OrderTableMoved(
    Guid OrderId,
    Guid RestaurantId,
    Guid FromTableId,
    Guid ToTableId,
    int ToTableNumber,
    string MovedBy,
    Guid? MovedByUserId,
    DateTimeOffset MovedAt) : IIntegrationEvent<OrderTableMoved>
{
    public static string EventType => "order.table_moved";
}

/// <summary>
/// A table order was merged into another table's order: its lines now belong to <c>into_order_id</c>, their rounds
/// shifted by <c>round_offset</c> and line numbers by <c>line_offset</c>; it then ends CANCELLED pointing there.
/// <c>into_total_price</c> is the surviving order's new total.
/// </summary>
public sealed record OrderMerged(
    Guid OrderId,
    Guid IntoOrderId,
    Guid RestaurantId,
    int RoundOffset,
    int LineOffset,
    decimal IntoTotalPrice,
    int? IntoCovers,
    string? IntoOrderNumber,
    Guid? IntoTableId,
    int? IntoTableNumber,
    string MergedBy,
    Guid? MergedByUserId,
    DateTimeOffset MergedAt) : IIntegrationEvent<OrderMerged>
{
    public static string EventType => "order.merged";
}
