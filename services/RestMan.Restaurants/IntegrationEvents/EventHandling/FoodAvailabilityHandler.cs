using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Restaurants.Menu;

namespace RestMan.Restaurants.IntegrationEvents.EventHandling;

/// <summary>
/// The store room says a food can (no longer) be made: it leaves (or rejoins) the public menu and ordering, and the
/// menu is dropped from every cache once that has committed.
/// </summary>
public sealed class FoodAvailabilityHandler(MenuCache menu, ILogger<FoodAvailabilityHandler> logger)
    : IIntegrationEventHandler<InventoryFoodAvailabilityChanged>
{
    public async Task HandleAsync(InventoryFoodAvailabilityChanged e, EventContext context, CancellationToken ct)
    {
        await using var command = context.Tx.Command(
            """
            UPDATE restaurant.foods SET sold_out = @sold_out, updated_at = @now
            WHERE id = @food AND restaurant_id = @restaurant AND sold_out <> @sold_out
            """);
        command.Parameters.AddWithValue("sold_out", e.SoldOut);
        command.Parameters.AddWithValue("now", context.Tx.Clock.GetUtcNow());
        command.Parameters.AddWithValue("food", e.FoodId);
        command.Parameters.AddWithValue("restaurant", e.RestaurantId);
        if (await command.ExecuteNonQueryAsync(ct) == 0) return;
        logger.LogInformation("Food {FoodId} is {State} (short of {ShortOf})", e.FoodId, e.SoldOut ? "sold out" : "back", string.Join(", ", e.ShortOf));
        context.Tx.AfterCommit(() => _ = menu.InvalidateAsync(e.RestaurantId));
    }
}
