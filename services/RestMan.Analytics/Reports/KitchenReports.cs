using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// Late kitchen tickets per day and station (one <c>kitchen.ticket_delayed</c> per ticket, by the day it became late);
/// a restaurant without stations counts under the whole kitchen (no station).
/// </summary>
public sealed class KitchenDelaysReport(ClickHouseClient clickHouse)
{
    public Task<IReadOnlyList<KitchenDelayDayRow>> QueryAsync(ReportScope scope, CancellationToken ct) =>
        clickHouse.QueryAsync<KitchenDelayDayRow>(
            $"""
            SELECT date, restaurant_id, station_id, nullIf(station_name, '') AS station_name, delays
            FROM (
                SELECT event_date AS date, restaurant_id, station_id, any(station_name) AS station_name, count() AS delays
                FROM {AnalyticsSchema.KitchenDelays} FINAL WHERE {scope.Where}
                GROUP BY date, restaurant_id, station_id
            )
            ORDER BY date, restaurant_id, station_name, station_id
            """, ct);
}

/// <summary>
/// The modifier options guests choose most (by how many were ordered with them), and what they added to the bills;
/// cancelled orders are left out, as in the top foods. An option is counted by id under its latest name.
/// </summary>
public sealed class TopModifiersReport(ClickHouseClient clickHouse)
{
    public Task<IReadOnlyList<TopModifierRow>> QueryAsync(ReportScope scope, int limit, CancellationToken ct) =>
        clickHouse.QueryAsync<TopModifierRow>(
            $"""
            SELECT option_id, any(group_name) AS group_name, any(option_name) AS option_name, sum(quantity) AS times_chosen,
                   sum(delta_total) AS revenue, uniqExact(order_id) AS orders
            FROM {AnalyticsSchema.OrderItemOptions} FINAL
            WHERE {scope.Where}
              AND order_id NOT IN (SELECT order_id
                                   FROM (SELECT order_id, status FROM {AnalyticsSchema.OrderStatuses} FINAL
                                         WHERE order_id IN ({scope.OrderIdsSql}))
                                   WHERE status = '{OrderFacts.Cancelled}')
            GROUP BY option_id
            ORDER BY times_chosen DESC, revenue DESC, option_name, option_id
            LIMIT {ClickHouseSql.Literal(limit)}
            """, ct);
}
