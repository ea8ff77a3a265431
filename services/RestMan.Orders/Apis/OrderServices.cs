using Npgsql;
using RestMan.Identity.Ownership;
using RestMan.Messaging;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.Apis;

/// <summary>What the Orders endpoints need, bound with [AsParameters].</summary>
public sealed class OrderServices(
    NpgsqlDataSource database,
    OrderRepository orders,
    OrderLifecycle lifecycle,
    RestaurantsClient restaurants,
    OwnedRestaurantsClient ownedRestaurants,
    OutboxWriter outbox,
    IOutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<OrderServices> logger)
{
    public NpgsqlDataSource Database { get; } = database;
    public OrderRepository Orders { get; } = orders;
    public OrderLifecycle Lifecycle { get; } = lifecycle;
    public RestaurantsClient Restaurants { get; } = restaurants;
    public OwnedRestaurantsClient OwnedRestaurants { get; } = ownedRestaurants;
    public OutboxWriter Outbox { get; } = outbox;
    public IOutboxSignal OutboxSignal { get; } = outboxSignal;
    public TimeProvider Clock { get; } = clock;
    public ILogger<OrderServices> Logger { get; } = logger;
}
