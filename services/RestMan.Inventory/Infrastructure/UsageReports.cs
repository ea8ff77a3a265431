using Npgsql;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Infrastructure;

/// <summary>The ledger read as reports: consumption per food and day at the cost it was booked at, and waste.</summary>
public sealed class UsageReports(NpgsqlDataSource dataSource)
{
    public async Task<UsageReportResponse> UsageAsync(Guid restaurantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (m.at AT TIME ZONE 'UTC')::DATE AS day, m.kind, m.food_id, m.stock_item_id, s.name, s.unit,
                   -SUM(m.on_hand_change), -SUM(m.on_hand_change * m.unit_cost)
            FROM inventory.stock_movements m JOIN inventory.stock_items s ON s.id = m.stock_item_id
            WHERE m.restaurant_id = @restaurant AND m.kind IN ('consume', 'waste', 'staff_meal') AND m.at >= @from AND m.at < @to
            GROUP BY day, m.kind, m.food_id, m.stock_item_id, s.name, s.unit
            ORDER BY day, s.name
            """);
        command.Parameters.AddWithValue("restaurant", restaurantId);
        command.Parameters.AddWithValue("from", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("to", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var foods = new List<FoodUsageRow>();
        var waste = new List<WasteRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var day = DateOnly.FromDateTime(reader.GetDateTime(0));
            var kind = reader.GetString(1);
            var quantity = reader.GetDecimal(6);
            var cost = Math.Round(reader.GetDecimal(7), 2);
            if (kind == MoveKinds.Consume && !reader.IsDBNull(2))
                foods.Add(new FoodUsageRow(day, reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4), reader.GetString(5), quantity, cost));
            else if (kind != MoveKinds.Consume)
                waste.Add(new WasteRow(day, reader.GetGuid(3), reader.GetString(4), reader.GetString(5), kind, quantity, cost));
        }
        return new UsageReportResponse(restaurantId, from, to, foods, waste, foods.Sum(f => f.Cost), waste.Sum(w => w.Cost));
    }
}
