using Npgsql;
using RestMan.Data;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Infrastructure;

/// <summary>Stock items as the owner sets them up, their ledger, and how fast each is used.</summary>
public sealed class StockRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The days over which average daily usage is measured.</summary>
    public const int UsageWindowDays = 14;

    public async Task<IReadOnlyList<StockItem>> ListAsync(IReadOnlyList<Guid> restaurantIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {StockLedger.ItemColumns} FROM inventory.stock_items WHERE restaurant_id = ANY(@ids) ORDER BY restaurant_id, name");
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await StockLedger.ReadItemsAsync(reader, ct);
    }

    public async Task<StockItem?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StockLedger.ItemColumns} FROM inventory.stock_items WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return (await StockLedger.ReadItemsAsync(reader, ct)).FirstOrDefault();
    }

    /// <summary>Creates or changes an item's settings (never its quantities: those move through the ledger). False when the SKU is taken.</summary>
    public async Task<bool> SaveAsync(UnitOfWork tx, StockItem item, CancellationToken ct)
    {
        await using var taken = tx.Command("SELECT 1 FROM inventory.stock_items WHERE restaurant_id = @restaurant AND sku = @sku AND id <> @id");
        taken.Parameters.AddWithValue("restaurant", item.RestaurantId);
        taken.Parameters.AddWithValue("sku", item.Sku);
        taken.Parameters.AddWithValue("id", item.Id);
        if (await taken.ExecuteScalarAsync(ct) is not null) return false;

        await using var command = tx.Command(
            """
            INSERT INTO inventory.stock_items (id, restaurant_id, name, sku, unit, minimum, reorder_level, unit_cost, supplier_id, lead_time_days, created_at, updated_at)
            VALUES (@id, @restaurant, @name, @sku, @unit, @minimum, @reorder_level, @unit_cost, @supplier, @lead_time, @now, @now)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, sku = excluded.sku, unit = excluded.unit, minimum = excluded.minimum,
                reorder_level = excluded.reorder_level, unit_cost = excluded.unit_cost, supplier_id = excluded.supplier_id,
                lead_time_days = excluded.lead_time_days, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("id", item.Id);
        command.Parameters.AddWithValue("restaurant", item.RestaurantId);
        command.Parameters.AddWithValue("name", item.Name);
        command.Parameters.AddWithValue("sku", item.Sku);
        command.Parameters.AddWithValue("unit", item.Unit);
        command.Parameters.AddWithValue("minimum", item.Minimum);
        command.Parameters.AddWithValue("reorder_level", item.ReorderLevel);
        command.Parameters.AddWithValue("unit_cost", item.UnitCost);
        command.Parameters.Add(new NpgsqlParameter("supplier", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)item.SupplierId ?? DBNull.Value });
        command.Parameters.AddWithValue("lead_time", item.LeadTimeDays);
        command.Parameters.AddWithValue("now", tx.Clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
        return true;
    }

    /// <summary>The item as the transaction sees it, locked against a concurrent count or receipt.</summary>
    public static async Task<StockItem?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {StockLedger.ItemColumns} FROM inventory.stock_items WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return (await StockLedger.ReadItemsAsync(reader, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<StockMovementResponse>> MovementsAsync(Guid itemId, int take, int skip, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT kind, on_hand_change, reserved_change, unit_cost, reason, order_id, food_id, purchase_order_id, actor_user_id, at
            FROM inventory.stock_movements WHERE stock_item_id = @id ORDER BY at DESC, id LIMIT @take OFFSET @skip
            """);
        command.Parameters.AddWithValue("id", itemId);
        command.Parameters.AddWithValue("take", take);
        command.Parameters.AddWithValue("skip", skip);
        var moves = new List<StockMovementResponse>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            moves.Add(new StockMovementResponse(reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), NullableId(reader, 5), NullableId(reader, 6), NullableId(reader, 7),
                NullableId(reader, 8), reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return moves;
    }

    /// <summary>Each item's average daily consumption (orders and waste) over the last <see cref="UsageWindowDays"/> days.</summary>
    public async Task<IReadOnlyDictionary<Guid, decimal>> AverageDailyUsageAsync(IReadOnlyList<Guid> restaurantIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT stock_item_id, -SUM(on_hand_change) FROM inventory.stock_movements
            WHERE restaurant_id = ANY(@ids) AND kind IN ('consume', 'waste', 'staff_meal') AND at >= @since
            GROUP BY stock_item_id
            """);
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        command.Parameters.AddWithValue("since", now.AddDays(-UsageWindowDays));
        var usage = new Dictionary<Guid, decimal>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) usage[reader.GetGuid(0)] = Math.Round(reader.GetDecimal(1) / UsageWindowDays, 3);
        return usage;
    }

    private static Guid? NullableId(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);
}
