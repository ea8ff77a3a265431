namespace RestMan.Kitchen.Model;

public sealed record KitchenTicket(
    Guid Id,
    Guid OrderId,
    Guid RestaurantId,
    string OrderType,
    string? Notes,
    string Status,
    DateTimeOffset PlacedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt)
{
    public IReadOnlyList<KitchenTicketItem> Items { get; init; } = [];
}

public sealed record KitchenTicketItem(Guid FoodId, string FoodName, int Quantity);
