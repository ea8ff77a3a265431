using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// The most ordered foods of one day, month or year, by quantity. Cancelled orders are left out:
/// nobody ate them. A food is grouped by id, so a renamed food stays one food under its latest name; its category is
/// the menu's current one.
/// </summary>
public sealed class TopFoodsReport(ClickHouseClient clickHouse)
{
    // Status is filtered outside FINAL: moved to PREWHERE it would run before the merge and could revive an old CANCELLED row.
    public Task<IReadOnlyList<TopFoodRow>> QueryAsync(ReportScope scope, ReportPeriod period, int limit, CancellationToken ct)
    {
        var restaurants = scope.RestaurantsSql;
        var sql = $"""
            SELECT period_start, restaurant_id, food_id, food_name, nullIf(category_name, '') AS category_name,
                   total_quantity, total_revenue, total_orders
            FROM
            (
                SELECT {period.StartSql("event_date")} AS period_start, restaurant_id, food_id,
                       argMax(food_name, placed_at) AS food_name, sum(quantity) AS total_quantity,
                       sum(line_total) AS total_revenue, uniqExact(order_id) AS total_orders
                FROM {AnalyticsSchema.OrderItems} FINAL
                WHERE {scope.Where}
                  AND order_id NOT IN (SELECT order_id
                                       FROM (SELECT order_id, status FROM {AnalyticsSchema.OrderStatuses} FINAL
                                             WHERE order_id IN ({scope.OrderIdsSql}))
                                       WHERE status = '{OrderFacts.Cancelled}')
                GROUP BY period_start, restaurant_id, food_id
            )
            ANY LEFT JOIN
            (
                SELECT food_id, if(current_name != '', current_name, category_name) AS category_name
                FROM (SELECT food_id, category_id, category_name FROM {AnalyticsSchema.MenuFoods} FINAL
                      WHERE restaurant_id IN {restaurants})
                ANY LEFT JOIN (SELECT category_id, name AS current_name FROM {AnalyticsSchema.MenuCategories} FINAL
                               WHERE restaurant_id IN {restaurants}) USING category_id
            ) USING food_id
            ORDER BY total_quantity DESC, total_revenue DESC, food_name, food_id
            LIMIT {ClickHouseSql.Literal(limit)}
            """;
        return clickHouse.QueryAsync<TopFoodRow>(sql, ct);
    }
}
