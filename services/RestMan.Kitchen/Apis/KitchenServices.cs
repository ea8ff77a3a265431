using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;

namespace RestMan.Kitchen.Apis;

/// <summary>What the Kitchen endpoints need, bound with [AsParameters].</summary>
public sealed class KitchenServices(
    Database database,
    TicketRepository tickets,
    OwnedRestaurantsClient ownedRestaurants,
    ILogger<KitchenServices> logger)
{
    public Database Database { get; } = database;
    public TicketRepository Tickets { get; } = tickets;
    public OwnedRestaurantsClient OwnedRestaurants { get; } = ownedRestaurants;
    public ILogger<KitchenServices> Logger { get; } = logger;
}
