using Npgsql;
using RestMan.Messaging;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Menu;

namespace RestMan.Restaurants.Apis;

/// <summary>What the Restaurants endpoints need, bound with [AsParameters].</summary>
public sealed class RestaurantServices(
    NpgsqlDataSource database,
    RestaurantRepository restaurants,
    CategoryRepository categories,
    FoodRepository foods,
    MenuCache menuCache,
    OutboxWriter outbox,
    IOutboxSignal outboxSignal,
    TimeProvider clock)
{
    public NpgsqlDataSource Database { get; } = database;
    public RestaurantRepository Restaurants { get; } = restaurants;
    public CategoryRepository Categories { get; } = categories;
    public FoodRepository Foods { get; } = foods;
    public MenuCache MenuCache { get; } = menuCache;
    public OutboxWriter Outbox { get; } = outbox;
    public IOutboxSignal OutboxSignal { get; } = outboxSignal;
    public TimeProvider Clock { get; } = clock;

    /// <summary>After a committed menu change: wake the relay for its event, and drop the cached menu before answering.</summary>
    public async Task MenuChangedAsync(Guid restaurantId)
    {
        OutboxSignal.Notify();
        await MenuCache.InvalidateAsync(restaurantId);
    }
}
