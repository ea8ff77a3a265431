using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.Apis;

/// <summary>What the Orders endpoints need, bound with [AsParameters].</summary>
public sealed class OrderServices(
    Database database,
    OrderRepository orders,
    OrderLifecycle lifecycle,
    TableRepository tables,
    TableOrders tableOrders,
    OrderNumbers numbers,
    IdempotentPlacement placement,
    RestaurantsClient restaurants,
    RestaurantScope scope,
    ILogger<OrderServices> logger)
{
    public Database Database { get; } = database;
    public OrderRepository Orders { get; } = orders;
    public OrderLifecycle Lifecycle { get; } = lifecycle;
    public TableRepository Tables { get; } = tables;
    public TableOrders TableOrders { get; } = tableOrders;
    public OrderNumbers Numbers { get; } = numbers;
    public IdempotentPlacement Placement { get; } = placement;
    public RestaurantsClient Restaurants { get; } = restaurants;
    public RestaurantScope Scope { get; } = scope;
    public ILogger<OrderServices> Logger { get; } = logger;
}
