using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// What a report covers: some of the caller's restaurants (never none: ClickHouse rejects an empty IN list) and the
/// orders placed from <see cref="From"/> to <see cref="To"/>, both included, by UTC date.
/// </summary>
public sealed record ReportScope(IReadOnlyList<Guid> Restaurants, DateOnly From, DateOnly To)
{
    public string RestaurantsSql => ClickHouseSql.List(Restaurants);

    /// <summary>The filter for a table with <c>restaurant_id</c> and <c>event_date</c> columns.</summary>
    public string Where =>
        $"restaurant_id IN {RestaurantsSql} AND event_date BETWEEN {ClickHouseSql.Literal(From)} AND {ClickHouseSql.Literal(To)}";

    /// <summary>The ids of the orders in scope, to narrow tables keyed by order alone.</summary>
    public string OrderIdsSql => $"SELECT order_id FROM {AnalyticsSchema.Orders} WHERE {Where}";
}
