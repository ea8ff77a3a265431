using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.Apis;

/// <summary>What the Reservations endpoints need, bound with [AsParameters].</summary>
public sealed class ReservationServices(
    Database database,
    ReservationRepository reservations,
    TableRepository tables,
    TableOrders tableOrders,
    RestaurantsClient restaurants,
    RestaurantScope scope,
    ILogger<ReservationServices> logger)
{
    public Database Database { get; } = database;
    public ReservationRepository Reservations { get; } = reservations;
    public TableRepository Tables { get; } = tables;
    public TableOrders TableOrders { get; } = tableOrders;
    public RestaurantsClient Restaurants { get; } = restaurants;
    public RestaurantScope Scope { get; } = scope;
    public ILogger<ReservationServices> Logger { get; } = logger;
}
