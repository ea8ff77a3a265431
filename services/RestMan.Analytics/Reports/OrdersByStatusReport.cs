using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// How many orders placed in the window are now in each status, each order once at its latest status,
/// with their value. Statuses come in lifecycle order.
/// </summary>
public sealed class OrdersByStatusReport(ClickHouseClient clickHouse)
{
    private static readonly string[] Lifecycle = ["PLACED", "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED", OrderFacts.Cancelled];

    public async Task<IReadOnlyList<OrdersByStatusRow>> QueryAsync(ReportScope scope, CancellationToken ct)
    {
        var sql = $"""
            SELECT latest_status AS status, count() AS total_orders, sum(total_price) AS total_value,
                   countIf(payment_status = 'PAID') AS paid_orders
            FROM ({OrderFacts.Sql(scope)})
            GROUP BY status
            """;
        var rows = await clickHouse.QueryAsync<StatusQueryRow>(sql, ct);
        return rows
            .OrderBy(r => Array.IndexOf(Lifecycle, r.Status) is var step and >= 0 ? step : Lifecycle.Length)
            .ThenBy(r => r.Status, StringComparer.Ordinal)
            .Select(r => new OrdersByStatusRow(scope.From, scope.To, r.Status, r.TotalOrders, r.TotalValue,
                Money.Round(r.TotalValue / r.TotalOrders), r.PaidOrders))
            .ToList();
    }

    private sealed record StatusQueryRow(string Status, long TotalOrders, decimal TotalValue, long PaidOrders);
}
