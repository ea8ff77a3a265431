namespace RestMan.Messaging.IntegrationEvents;

// Inventory events: topic inventory.events, key: restaurant id, so one restaurant's stock news stays in order.

/// <summary>
/// A stock item's available quantity (on hand less what open orders reserved) reached its reorder level:
/// once per fall, again only after it rose above.
/// </summary>
public sealed record InventoryLowStock(
    Guid RestaurantId, Guid StockItemId, string Name, string Unit, decimal Available, decimal ReorderLevel, DateTimeOffset At)
    : IIntegrationEvent<InventoryLowStock>
{
    public static string EventType => "inventory.low_stock";
}

/// <summary>A stock item has nothing left to give (available ≤ 0): once per fall, again only after a restock.</summary>
public sealed record InventoryDepleted(
    Guid RestaurantId, Guid StockItemId, string Name, string Unit, decimal Available, DateTimeOffset At)
    : IIntegrationEvent<InventoryDepleted>
{
    public static string EventType => "inventory.depleted";
}

/// <summary>
/// A food's recipe can no longer cover one more portion (<c>sold_out</c> true), or can again after a restock (false).
/// Restaurants takes it off the public menu and out of ordering until then; <c>short_of</c> names the limiting items.
/// </summary>
public sealed record InventoryFoodAvailabilityChanged(
    Guid RestaurantId, Guid FoodId, bool SoldOut, IReadOnlyList<string> ShortOf, DateTimeOffset At)
    : IIntegrationEvent<InventoryFoodAvailabilityChanged>
{
    public static string EventType => "inventory.food_availability_changed";
}
