using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Orders.Model;

public static class OrderType
{
    public const string DineIn = "dine_in";
    public const string Takeaway = "takeaway";
    public const string Delivery = "delivery";

    public static readonly IReadOnlyList<string> All = [DineIn, Takeaway, Delivery];
}

/// <summary>An order as stored, with its lines when they were read.</summary>
public sealed record Order(
    Guid Id,
    Guid UserId,
    Guid RestaurantId,
    string OrderType,
    string Status,
    decimal TotalPrice,
    string? Notes,
    string? DeliveryAddress,
    DateTimeOffset PlacedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelledAt)
{
    /// <summary>Its lines still on the order (a removed line is gone from it), in line order.</summary>
    public IReadOnlyList<OrderLine> Items { get; init; } = [];

    /// <summary>The short number staff and guests call it by (e.g. <c>A-042</c>), unique per restaurant per day.</summary>
    public string? OrderNumber { get; init; }

    /// <summary>The day the number belongs to (the placing day, UTC).</summary>
    public DateOnly? ServiceDay { get; init; }

    /// <summary>A table order's table, guests and reservation; null for an online order.</summary>
    public Guid? TableId { get; init; }

    public int? Covers { get; init; }

    public Guid? ReservationId { get; init; }

    /// <summary>How many rounds the table order has had (its last round's number).</summary>
    public int Rounds { get; init; }

    /// <summary>For an order merged into another table's order: that order.</summary>
    public Guid? MergedIntoOrderId { get; init; }

    /// <summary>When the kitchen expects the order ready, as it said on accepting it; null when it did not say.</summary>
    public DateTimeOffset? EstimatedReadyAt { get; init; }

    public bool IsTableOrder => TableId is not null;
}

/// <summary>One line, with the food's name and price as they were when ordered; a table order's lines carry their round.</summary>
public sealed record OrderLine(Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal)
{
    public int LineNo { get; init; }

    public int Round { get; init; } = 1;

    /// <summary>For a table order: how far the kitchen is with this line's round (NEW until it starts); null online.</summary>
    public string? KitchenStatus { get; init; }

    /// <summary>The modifier options chosen, their price deltas already in <see cref="UnitPrice"/>.</summary>
    public IReadOnlyList<OrderItemOption> Options { get; init; } = [];

    /// <summary>The guest's words for the kitchen about this line ("no onions").</summary>
    public string? Note { get; init; }

    /// <summary>The food's allergens when ordered, for the kitchen ticket (not stored with the order).</summary>
    public IReadOnlyList<string> Allergens { get; init; } = [];

    public OrderPlacedItem ToPlacedItem() => new(FoodId, FoodName, Quantity, UnitPrice, LineTotal, Options, Note, Allergens);

    public OrderRoundItem ToRoundItem() => new(LineNo, FoodId, FoodName, Quantity, UnitPrice, LineTotal, Options, Note, Allergens);
}

/// <summary>One entry of an order's status history.</summary>
public sealed record OrderStep(int Step, string? OldStatus, string NewStatus, string ChangedBy, Guid? ChangedByUserId, DateTimeOffset ChangedAt);

/// <summary>Who asked for a status change: their role (the event's <c>changed_by</c>) and account.</summary>
public sealed record StatusChanger(string Role, Guid? UserId);
