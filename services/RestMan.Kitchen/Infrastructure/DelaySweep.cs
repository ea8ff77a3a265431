using RestMan.Data;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>
/// Finds the tickets still in the kitchen past their delay threshold and raises <c>kitchen.ticket_delayed</c> for
/// each, exactly once: the flag (<c>delayed_at</c>) is set by a conditional UPDATE in the same unit of work as the
/// outbox event, so sweeps racing on several replicas (or a sweep asked for through the API) never raise it twice.
/// </summary>
public sealed class DelaySweep(Database db, TicketRepository tickets, ILogger<DelaySweep> logger)
{
    private const int BatchSize = 200;

    /// <summary>One sweep over all restaurants, or over <paramref name="restaurantIds"/>: the tickets it found late.</summary>
    public async Task<IReadOnlyList<DelayedTicket>> SweepAsync(IReadOnlyList<Guid>? restaurantIds, CancellationToken ct)
    {
        var delayed = await db.InTransactionAsync(async tx =>
        {
            var now = tx.Clock.GetUtcNow();
            var late = await tickets.FlagDelayedAsync(tx, now, DelayRules.DefaultThresholdSeconds, restaurantIds, BatchSize, ct);
            foreach (var t in late)
                tx.Publish(new KitchenTicketDelayed
                {
                    TicketId = t.Id, OrderId = t.OrderId, RestaurantId = t.RestaurantId, Round = t.Round, At = now,
                    StationId = t.StationId == StationRouting.WholeKitchen ? null : t.StationId, StationName = t.StationName,
                    OrderNumber = t.OrderNumber, Priority = t.Priority, OpenedAt = t.OpenedAt, ThresholdSeconds = t.ThresholdSeconds,
                });
            return late;
        }, ct);
        foreach (var t in delayed)
            logger.LogInformation("Ticket {TicketId} of order {OrderId} is late (past {Threshold} s)", t.Id, t.OrderId, t.ThresholdSeconds);
        return delayed;
    }
}

/// <summary>
/// Sweeps for late tickets every <c>Kitchen:DelaySweepInterval</c> (default 5 s; cheap: one indexed UPDATE). Each
/// replica sweeps; the conditional flag keeps the alert one per ticket.
/// </summary>
public sealed class DelaySweepService(DelaySweep sweep, TimeProvider clock, IConfiguration configuration, ILogger<DelaySweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Kitchen:DelaySweepInterval", TimeSpan.FromSeconds(5));
        if (interval <= TimeSpan.Zero) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested) break;
            try
            {
                await sweep.SweepAsync(null, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not sweep for late tickets: {Error}", ex.Message);
            }
        }
    }
}
