using RestMan.Data;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Notifications;

/// <summary>
/// Marks a table RESERVED once its reservation is due within <see cref="ReservationRules.DueSoon"/>, so the floor view
/// shows it held and no walk-in is sat there. A table still occupied is tried again on the next round, until it is free.
/// </summary>
public sealed class ReservedSoonSweep(
    Database db, ReservationRepository reservations, TableRepository tables, ILogger<ReservedSoonSweep> logger) : BackgroundService
{
    // Much shorter than the 30 minutes ahead, so a table is held in good time; cheap (one indexed query).
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private const int BatchSize = 50;
    private const string ChangedBy = "system";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not mark the tables of reservations due soon: {Error}", ex.Message);
            }
            await Task.Delay(Interval, db.Clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One round: every reservation due soon whose table is not marked yet.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        foreach (var due in await reservations.DueSoonAsync(now, now + ReservationRules.DueSoon, BatchSize, ct))
        {
            await db.InTransactionAsync(async tx =>
            {
                var reservation = await reservations.LockAsync(tx, due.Id, ct);
                if (reservation is null || reservation.Status != ReservationStatus.Booked || reservation.TableMarked) return;
                var table = await tables.LockAsync(tx, reservation.TableId);
                if (table is null) return;
                if (table.Status == TableStatus.Available)
                    await tables.SetStatusAsync(tx, table, TableStatus.Reserved, ChangedBy, null);
                else if (table.Status != TableStatus.Reserved)
                    return;
                await reservations.MarkTableAsync(tx, reservation.Id, tx.Clock.GetUtcNow(), ct);
                logger.LogInformation("Table {TableId} held for reservation {ReservationId} at {Time}", table.Id, reservation.Id, reservation.StartsAt);
            }, ct);
        }
    }
}
