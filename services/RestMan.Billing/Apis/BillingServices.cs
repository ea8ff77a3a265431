using Npgsql;
using RestMan.Billing.Infrastructure;
using RestMan.Identity.Ownership;
using RestMan.Messaging;

namespace RestMan.Billing.Apis;

/// <summary>What the Billing endpoints need, bound with [AsParameters].</summary>
public sealed class BillingServices(
    NpgsqlDataSource database,
    BillRepository bills,
    OwnedRestaurantsClient ownedRestaurants,
    OutboxWriter outbox,
    IOutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<BillingServices> logger)
{
    public NpgsqlDataSource Database { get; } = database;
    public BillRepository Bills { get; } = bills;
    public OwnedRestaurantsClient OwnedRestaurants { get; } = ownedRestaurants;
    public OutboxWriter Outbox { get; } = outbox;
    public IOutboxSignal OutboxSignal { get; } = outboxSignal;
    public TimeProvider Clock { get; } = clock;
    public ILogger<BillingServices> Logger { get; } = logger;
}
