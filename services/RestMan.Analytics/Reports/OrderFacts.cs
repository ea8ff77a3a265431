using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// Every order in scope once, at its latest state: the order as placed, its latest status and its payment, each read
/// with FINAL so redelivered events and not-yet-merged parts never add rows. ClickHouse 18.16 allows one JOIN per
/// SELECT, hence the nesting.
/// </summary>
public static class OrderFacts
{
    public const string Cancelled = "CANCELLED";

    /// <summary>Columns: order_id, event_date, restaurant_id, order_type, total_price, latest_status, payment_status, paid_amount.</summary>
    public static string Sql(ReportScope scope, string? orderType = null)
    {
        var orderTypeFilter = orderType is null ? "" : $" AND order_type = {ClickHouseSql.Literal(orderType)}";
        // No status row yet means the order's rows are mid-write (orders before statuses): it is still PLACED.
        return $"""
            SELECT order_id, event_date, restaurant_id, order_type, total_price,
                   if(status = '', 'PLACED', status) AS latest_status, payment_status, paid_amount
            FROM
            (
                SELECT order_id, event_date, restaurant_id, order_type, total_price, status
                FROM (SELECT order_id, event_date, restaurant_id, order_type, total_price
                      FROM {AnalyticsSchema.Orders} FINAL WHERE {scope.Where}{orderTypeFilter})
                ANY LEFT JOIN (SELECT order_id, status FROM {AnalyticsSchema.OrderStatuses} FINAL
                               WHERE order_id IN ({scope.OrderIdsSql})) USING order_id
            )
            ANY LEFT JOIN (SELECT order_id, payment_status, paid_amount FROM {AnalyticsSchema.OrderPayments} FINAL
                           WHERE order_id IN ({scope.OrderIdsSql})) USING order_id
            """;
    }
}
