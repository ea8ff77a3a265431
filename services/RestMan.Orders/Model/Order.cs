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
    public IReadOnlyList<OrderLine> Items { get; init; } = [];
}

/// <summary>One line, with the food's name and price as they were when the order was placed.</summary>
public sealed record OrderLine(Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal);

/// <summary>One entry of an order's status history.</summary>
public sealed record OrderStep(int Step, string? OldStatus, string NewStatus, string ChangedBy, Guid? ChangedByUserId, DateTimeOffset ChangedAt);

/// <summary>Who asked for a status change: their role (the event's <c>changed_by</c>) and account.</summary>
public sealed record StatusChanger(string Role, Guid? UserId);
