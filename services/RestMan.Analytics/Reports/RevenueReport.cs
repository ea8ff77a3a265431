using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// Revenue per day, month or year, by order type or by restaurant. An order counts once, at its
/// latest state; cancelled orders earn nothing and are left out. <c>total_revenue</c> is the orders' value,
/// <c>paid_revenue</c> what their paid bills collected.
/// </summary>
public sealed class RevenueReport(ClickHouseClient clickHouse)
{
    public async Task<IReadOnlyList<RevenueByOrderTypeRow>> ByOrderTypeAsync(
        ReportScope scope, ReportPeriod period, string? orderType, CancellationToken ct)
    {
        var rows = await QueryAsync(scope, period, "order_type", orderType, ct);
        return rows.Select(r => new RevenueByOrderTypeRow(r.PeriodStart, r.GroupKey, r.TotalOrders, r.TotalRevenue, r.PaidOrders, r.PaidRevenue))
            .ToList();
    }

    public async Task<IReadOnlyList<RevenueByRestaurantRow>> ByRestaurantAsync(
        ReportScope scope, ReportPeriod period, string? orderType, CancellationToken ct)
    {
        var rows = await QueryAsync(scope, period, "toString(restaurant_id)", orderType, ct);
        return rows.Select(r => new RevenueByRestaurantRow(r.PeriodStart, Guid.Parse(r.GroupKey), r.TotalOrders, r.TotalRevenue, r.PaidOrders, r.PaidRevenue))
            .ToList();
    }

    private Task<IReadOnlyList<RevenueQueryRow>> QueryAsync(
        ReportScope scope, ReportPeriod period, string groupKeySql, string? orderType, CancellationToken ct)
    {
        var sql = $"""
            SELECT {period.StartSql("event_date")} AS period_start, {groupKeySql} AS group_key,
                   count() AS total_orders, sum(total_price) AS total_revenue,
                   countIf(payment_status = 'PAID') AS paid_orders, sum(paid_amount) AS paid_revenue
            FROM ({OrderFacts.Sql(scope, orderType)})
            WHERE latest_status != '{OrderFacts.Cancelled}'
            GROUP BY period_start, group_key
            ORDER BY period_start, total_revenue DESC, group_key
            """;
        return clickHouse.QueryAsync<RevenueQueryRow>(sql, ct);
    }

    private sealed record RevenueQueryRow(
        DateOnly PeriodStart, string GroupKey, long TotalOrders, decimal TotalRevenue, long PaidOrders, decimal PaidRevenue);
}
