using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Ingestion;

/// <summary>Writes a batch's rows into their tables, one INSERT per table that has rows.</summary>
public sealed class AnalyticsWriter(ClickHouseClient clickHouse)
{
    /// <exception cref="ClickHouseException">ClickHouse refused a table's rows or did not answer; some tables may be written already.</exception>
    public async Task WriteAsync(IngestionBatch batch, CancellationToken ct)
    {
        await clickHouse.InsertAsync(AnalyticsSchema.Orders, batch.Orders, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.OrderItems, batch.OrderItems, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.OrderStatuses, batch.OrderStatuses, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.OrderPayments, batch.OrderPayments, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.MenuFoods, batch.MenuFoods, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.MenuCategories, batch.MenuCategories, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.TableVisits, batch.TableVisits, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.Reservations, batch.Reservations, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.Payments, batch.Payments, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.Refunds, batch.Refunds, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.OrderItemOptions, batch.OrderItemOptions, ct);
        await clickHouse.InsertAsync(AnalyticsSchema.KitchenDelays, batch.KitchenDelays, ct);
    }
}
