using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;

namespace RestMan.Kitchen.Apis;

/// <summary>What the Kitchen endpoints need, bound with [AsParameters].</summary>
public sealed class KitchenServices(
    Database database,
    TicketRepository tickets,
    TicketProgress progress,
    StationRepository stations,
    RestaurantScope scope,
    TimeProvider clock,
    ILogger<KitchenServices> logger)
{
    public Database Database { get; } = database;
    public TicketRepository Tickets { get; } = tickets;
    public TicketProgress Progress { get; } = progress;
    public StationRepository Stations { get; } = stations;
    public RestaurantScope Scope { get; } = scope;
    public TimeProvider Clock { get; } = clock;
    public ILogger<KitchenServices> Logger { get; } = logger;
}
