using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RestMan.Benchmarks;

/// <summary>How far the consumers are behind: orders of the benchmark's restaurant without a ticket, bill, analytics row.</summary>
public sealed class Pipeline(RunningGraph graph, Guid restaurantId) : IDisposable
{
    private readonly HttpClient _clickHouse = new() { BaseAddress = new Uri($"http://127.0.0.1:{graph.Port("clickhouse")}/") };

    public sealed record Counts(long Orders, long Tickets, long Bills, long AnalyticsRows)
    {
        public bool CaughtUp => Tickets == Orders && Bills == Orders && AnalyticsRows == Orders;
    }

    public async Task<Counts> CountAsync()
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM orders.orders WHERE restaurant_id = @r),
                   (SELECT count(*) FROM kitchen.kitchen_tickets WHERE restaurant_id = @r),
                   (SELECT count(*) FROM billing.bills WHERE restaurant_id = @r)
            """, connection);
        command.Parameters.AddWithValue("r", restaurantId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var analytics = await _clickHouse.GetStringAsync(
            $"?query={Uri.EscapeDataString($"SELECT count() FROM restman_analytics.orders_analytics FINAL WHERE restaurant_id = toUUID('{restaurantId}')")}");
        return new Counts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), long.Parse(analytics.Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>Seconds until every order has its ticket, bill and analytics row (null if not within the limit).</summary>
    public async Task<double?> SecondsToCatchUpAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if ((await CountAsync()).CaughtUp) return clock.Elapsed.TotalSeconds;
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>Order placed → kitchen ticket stored, p50 and p95 in ms, for orders placed in [from, to).</summary>
    public async Task<(double P50, double P95)> OrderToTicketAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM t.created_at - o.placed_at) * 1000),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM t.created_at - o.placed_at) * 1000)
            FROM orders.orders o JOIN kitchen.kitchen_tickets t ON t.order_id = o.id
            WHERE o.restaurant_id = @r AND o.placed_at >= @from AND o.placed_at < @to
            """, connection);
        command.Parameters.AddWithValue("r", restaurantId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? double.NaN : reader.GetDouble(0), reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1));
    }

    /// <summary>
    /// Where order → ticket time goes, p50 and p95 in ms per stage: placed → outbox row marked sent (relay round incl.
    /// the publish), → kitchen inbox row (Kafka fetch, consumer batch start), → ticket stored (kitchen transaction).
    /// </summary>
    public async Task<IReadOnlyList<(string Stage, double P50, double P95)>> OrderToTicketStagesAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            WITH s AS (
                SELECT EXTRACT(EPOCH FROM x.sent_at - o.placed_at) * 1000 AS relay,
                       EXTRACT(EPOCH FROM i.received_at - x.sent_at) * 1000 AS kafka,
                       EXTRACT(EPOCH FROM t.created_at - i.received_at) * 1000 AS kitchen
                FROM orders.orders o
                JOIN orders.outbox x ON x.message_key = o.id::text AND x.event_type = 'order.placed'
                JOIN kitchen.inbox i ON i.event_id = x.event_id
                JOIN kitchen.kitchen_tickets t ON t.order_id = o.id
                WHERE o.restaurant_id = @r AND o.placed_at >= @from AND o.placed_at < @to)
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY relay), percentile_cont(0.95) WITHIN GROUP (ORDER BY relay),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY kafka), percentile_cont(0.95) WITHIN GROUP (ORDER BY kafka),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY kitchen), percentile_cont(0.95) WITHIN GROUP (ORDER BY kitchen)
            FROM s
            """, connection);
        command.Parameters.AddWithValue("r", restaurantId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        double At(int i) => reader.IsDBNull(i) ? double.NaN : reader.GetDouble(i);
        return [("relay (placed -> published)", At(0), At(1)), ("kafka (published -> kitchen inbox)", At(2), At(3)), ("kitchen (inbox -> ticket)", At(4), At(5))];
    }

    /// <summary>
    /// The slowest orders' order → ticket time by stage, with when each was placed (s into the phase): tails bunched at
    /// the same moments point to a hiccup (a sweep, a flush), tails spread evenly to steady queueing.
    /// </summary>
    public async Task<IReadOnlyList<(double AtSecond, double Relay, double Kafka, double Kitchen)>> SlowestAsync(
        DateTimeOffset from, DateTimeOffset to, int count)
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT EXTRACT(EPOCH FROM o.placed_at - @from)::float8, EXTRACT(EPOCH FROM x.sent_at - o.placed_at)::float8 * 1000,
                   EXTRACT(EPOCH FROM i.received_at - x.sent_at)::float8 * 1000, EXTRACT(EPOCH FROM t.created_at - i.received_at)::float8 * 1000
            FROM orders.orders o
            JOIN orders.outbox x ON x.message_key = o.id::text AND x.event_type = 'order.placed'
            JOIN kitchen.inbox i ON i.event_id = x.event_id
            JOIN kitchen.kitchen_tickets t ON t.order_id = o.id
            WHERE o.restaurant_id = @r AND o.placed_at >= @from AND o.placed_at < @to
            ORDER BY t.created_at - o.placed_at DESC
            LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("r", restaurantId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync();
        var slowest = new List<(double AtSecond, double Relay, double Kafka, double Kitchen)>();
        while (await reader.ReadAsync())
            slowest.Add((reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)));
        return slowest.OrderBy(s => s.AtSecond).ToList();
    }

    public void Dispose() => _clickHouse.Dispose();
}
