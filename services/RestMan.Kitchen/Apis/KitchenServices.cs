using Npgsql;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;
using RestMan.Messaging;

namespace RestMan.Kitchen.Apis;

/// <summary>What the Kitchen endpoints need, bound with [AsParameters].</summary>
public sealed class KitchenServices(
    NpgsqlDataSource database,
    TicketRepository tickets,
    OwnedRestaurantsClient ownedRestaurants,
    OutboxWriter outbox,
    IOutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<KitchenServices> logger)
{
    public NpgsqlDataSource Database { get; } = database;
    public TicketRepository Tickets { get; } = tickets;
    public OwnedRestaurantsClient OwnedRestaurants { get; } = ownedRestaurants;
    public OutboxWriter Outbox { get; } = outbox;
    public IOutboxSignal OutboxSignal { get; } = outboxSignal;
    public TimeProvider Clock { get; } = clock;
    public ILogger<KitchenServices> Logger { get; } = logger;
}
