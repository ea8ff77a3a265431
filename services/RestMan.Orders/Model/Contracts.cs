using System.ComponentModel.DataAnnotations;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Orders.Model;

// Request and response bodies of the Orders API; snake_case on the wire (ServiceDefaults' JSON options).

/// <summary>What a customer sends; a price sent by the client has no property to land in and is ignored.</summary>
[OpenApiExample("""{"restaurant_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "order_type": "dine_in", "items": [{"food_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "quantity": 2}], "notes": "No onions"}""")]
public sealed record PlaceOrderRequest(
    [property: Required] Guid? RestaurantId,
    [property: Required] string? OrderType,
    [property: Required] IReadOnlyList<PlaceOrderLine?>? Items,
    string? Notes,
    string? DeliveryAddress);

/// <summary><c>options</c>: ids of the food's modifier options chosen; <c>note</c>: a word for the kitchen about this line.</summary>
public sealed record PlaceOrderLine([property: Required] Guid? FoodId, [property: Required] int? Quantity, IReadOnlyList<Guid?>? Options = null, string? Note = null);

[OpenApiExample("""{"status": "ACCEPTED"}""")]
public sealed record ChangeOrderStatusRequest([property: Required] string? Status);

/// <summary>
/// <c>line_no</c> names the line (e.g. to remove it); <c>round</c> is the table order's round it came in (1 online) and
/// <c>kitchen_status</c> how far the kitchen is with that round (a line can come off while it is NEW).
/// </summary>
public sealed record OrderLineResponse(
    Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal, int LineNo, int Round, string? KitchenStatus,
    IReadOnlyList<OrderItemOption> Options, string? Note);

public sealed record OrderResponse(
    Guid Id,
    Guid UserId,
    Guid RestaurantId,
    string OrderType,
    string Status,
    decimal TotalPrice,
    string? Notes,
    string? DeliveryAddress,
    IReadOnlyList<OrderLineResponse> Items,
    DateTimeOffset PlacedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelledAt,
    string? OrderNumber,
    Guid? TableId,
    int? Covers,
    Guid? ReservationId,
    int Rounds,
    Guid? MergedIntoOrderId,
    DateTimeOffset? EstimatedReadyAt)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.UserId, order.RestaurantId, order.OrderType, order.Status, order.TotalPrice, order.Notes,
        order.DeliveryAddress,
        order.Items.Select(i => new OrderLineResponse(i.FoodId, i.FoodName, i.Quantity, i.UnitPrice, i.LineTotal, i.LineNo, i.Round, i.KitchenStatus, i.Options, i.Note)).ToList(),
        order.PlacedAt, order.UpdatedAt, order.CompletedAt, order.CancelledAt,
        order.OrderNumber, order.TableId, order.Covers, order.ReservationId, order.Rounds, order.MergedIntoOrderId,
        order.EstimatedReadyAt);
}

public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, int Page, int PageSize, long Total);

public sealed record TimelineStep(string Status, DateTimeOffset At, string? FromStatus, string ChangedBy, Guid? ChangedByUserId);

public sealed record OrderTimeline(Guid OrderId, string Status, IReadOnlyList<TimelineStep> Steps);

[OpenApiExample("""{"restaurant_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "number": 12, "capacity": 4, "section": "Terrace"}""")]
public sealed record CreateTableRequest([property: Required] Guid? RestaurantId, [property: Required] int? Number, [property: Required] int? Capacity, [property: Required] string? Section);

[OpenApiExample("""{"number": 12, "capacity": 6, "section": "Terrace"}""")]
public sealed record UpdateTableRequest([property: Required] int? Number, [property: Required] int? Capacity, [property: Required] string? Section);

[OpenApiExample("""{"status": "AVAILABLE"}""")]
public sealed record ChangeTableStatusRequest([property: Required] string? Status);

public sealed record TableResponse(
    Guid Id, Guid RestaurantId, int Number, int Capacity, string Section, string Status, Guid? CurrentOrderId, DateTimeOffset UpdatedAt)
{
    public static TableResponse From(DiningTable table) => new(
        table.Id, table.RestaurantId, table.Number, table.Capacity, table.Section, table.Status, table.CurrentOrderId, table.UpdatedAt);
}

/// <summary>A waiter opens a table's order: the table, how many guests, and optionally the first round.</summary>
[OpenApiExample("""{"table_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "covers": 4, "items": [{"food_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "quantity": 2}]}""")]
public sealed record OpenTableOrderRequest(
    [property: Required] Guid? TableId,
    [property: Required] int? Covers,
    IReadOnlyList<PlaceOrderLine?>? Items,
    string? Notes);

[OpenApiExample("""{"items": [{"food_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "quantity": 1}], "notes": "Dessert for table 4"}""")]
public sealed record AddRoundRequest([property: Required] IReadOnlyList<PlaceOrderLine?>? Items, string? Notes);

[OpenApiExample("""{"table_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}""")]
public sealed record MoveTableOrderRequest([property: Required] Guid? TableId);

[OpenApiExample("""{"into_order_id": "0f8fad5b-d9cb-469f-a165-70867728950e"}""")]
public sealed record MergeTableOrderRequest([property: Required] Guid? IntoOrderId);
