using System.ComponentModel.DataAnnotations;

namespace RestMan.Kitchen.Model;

// Request and response bodies of the Kitchen API; snake_case on the wire (ServiceDefaults' JSON options).

/// <summary>
/// The next step of a ticket. Accepting it (ACCEPTED) may say when the kitchen expects it ready: in
/// <c>estimated_minutes</c> (1–600) or at <c>estimated_ready_at</c> (ISO 8601, within the next 24 h), not both; the
/// guest sees it on the order.
/// </summary>
[OpenApiExample("""{"status": "ACCEPTED", "estimated_minutes": 15}""")]
public sealed record ChangeTicketStatusRequest([property: Required] string? Status, int? EstimatedMinutes = null, string? EstimatedReadyAt = null);

/// <summary>A ticket's priority: normal, high or urgent.</summary>
[OpenApiExample("""{"priority": "urgent"}""")]
public sealed record ChangeTicketPriorityRequest([property: Required] string? Priority);

/// <summary>A line is started (IN_PROGRESS) or bumped (READY).</summary>
[OpenApiExample("""{"status": "READY"}""")]
public sealed record ChangeTicketItemStatusRequest([property: Required] string? Status);

/// <summary>
/// A voided line was taken off the order before the kitchen started it: not to be cooked. <c>line_no</c> names the
/// line for <c>PATCH …/items/{line_no}/status</c>; <c>status</c> is NEW, IN_PROGRESS, READY (bumped) or VOIDED;
/// <c>options</c>, <c>note</c> and <c>allergens</c>: how to cook it and what it contains.
/// </summary>
public sealed record TicketItemResponse(
    Guid FoodId, string FoodName, int Quantity, bool Voided, int LineNo, string Status, IReadOnlyList<TicketItemOption> Options, string? Note,
    IReadOnlyList<string> Allergens);

public sealed record TicketResponse(
    Guid Id,
    Guid OrderId,
    Guid RestaurantId,
    string OrderType,
    string? Notes,
    string Status,
    IReadOnlyList<TicketItemResponse> Items,
    DateTimeOffset PlacedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt,
    int Round,
    string? OrderNumber,
    int? TableNumber,
    Guid? StationId,
    string? StationName,
    string Priority,
    DateTimeOffset? EstimatedReadyAt,
    DateTimeOffset? DelayedAt)
{
    public static TicketResponse From(KitchenTicket ticket) => new(
        ticket.Id, ticket.OrderId, ticket.RestaurantId, ticket.OrderType, ticket.Notes, ticket.Status,
        ticket.Items.Select(i => new TicketItemResponse(i.FoodId, i.FoodName, i.Quantity, i.Voided, i.LineNo, i.Status, i.Options, i.Note, i.Allergens)).ToList(),
        ticket.PlacedAt, ticket.CreatedAt, ticket.UpdatedAt, ticket.CancelledAt, ticket.Round, ticket.OrderNumber, ticket.TableNumber,
        ticket.StationId == StationRouting.WholeKitchen ? null : ticket.StationId, ticket.StationName,
        ticket.Priority, ticket.EstimatedReadyAt, ticket.DelayedAt);
}

/// <summary><c>delay_threshold_seconds</c>: how long a ticket here may take before it is late (null: the restaurant's threshold).</summary>
[OpenApiExample("""{"restaurant_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "Grill", "is_default": false, "category_ids": [], "food_ids": [], "delay_threshold_seconds": 720}""")]
public sealed record CreateStationRequest(
    [property: Required] string? RestaurantId, [property: Required] string? Name, bool? IsDefault, IReadOnlyList<string?>? CategoryIds, IReadOnlyList<string?>? FoodIds,
    int? DelayThresholdSeconds = null);

/// <summary>Replaces the station's name, default flag and routes (a food or category routed here leaves any other station).</summary>
[OpenApiExample("""{"name": "Grill", "is_default": false, "category_ids": [], "food_ids": [], "delay_threshold_seconds": 720}""")]
public sealed record UpdateStationRequest([property: Required] string? Name, bool? IsDefault, IReadOnlyList<string?>? CategoryIds, IReadOnlyList<string?>? FoodIds,
    int? DelayThresholdSeconds = null);

public sealed record StationResponse(Guid Id, Guid RestaurantId, string Name, bool IsDefault, IReadOnlyList<Guid> CategoryIds, IReadOnlyList<Guid> FoodIds,
    int? DelayThresholdSeconds)
{
    public static StationResponse From(Station s) => new(s.Id, s.RestaurantId, s.Name, s.IsDefault, s.CategoryIds, s.FoodIds, s.DelayThresholdSeconds);
}

public sealed record TicketPage(IReadOnlyList<TicketResponse> Items, int Page, int PageSize, long Total);

/// <summary>A food's typical prep time: the median over its recent bumped lines, in seconds and as whole minutes.</summary>
public sealed record PrepTimeResponse(Guid RestaurantId, Guid FoodId, string FoodName, int MedianSeconds, int TypicalMinutes, int Samples);

/// <summary>A restaurant's kitchen settings; <c>is_default</c> when the owner has not set a threshold.</summary>
public sealed record KitchenSettingsResponse(Guid RestaurantId, int DelayThresholdSeconds, bool IsDefault);

[OpenApiExample("""{"restaurant_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "delay_threshold_seconds": 900}""")]
public sealed record UpdateKitchenSettingsRequest([property: Required] string? RestaurantId, [property: Required] int? DelayThresholdSeconds);

/// <summary>The tickets one sweep found late (each raised <c>kitchen.ticket_delayed</c>).</summary>
public sealed record DelaySweepResponse(IReadOnlyList<Guid> Delayed);
