using Npgsql;
using NpgsqlTypes;
using RestMan.Data;
using RestMan.Inventory.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Inventory.Infrastructure;

/// <summary>
/// The one way stock changes: each move is a ledger row and the item's running sums, in the caller's transaction;
/// then what the moves changed is announced in it too — an item falling low or running out, a food whose recipe can
/// no longer cover a portion (or can again).
/// </summary>
public sealed class StockLedger
{
    public const string ItemColumns =
        "id, restaurant_id, name, sku, unit, on_hand, reserved, minimum, reorder_level, unit_cost, supplier_id, lead_time_days, low_alerted, depleted";

    public static readonly Guid NoOption = Guid.Empty;

    public async Task ApplyAsync(UnitOfWork tx, IReadOnlyList<StockMove> moves, CancellationToken ct)
    {
        if (moves.Count == 0) return;
        var at = tx.Clock.GetUtcNow();
        await using (var batch = tx.Batch())
        {
            foreach (var move in moves)
            {
                var insert = new NpgsqlBatchCommand(
                    """
                    INSERT INTO inventory.stock_movements (id, stock_item_id, restaurant_id, kind, on_hand_change, reserved_change, unit_cost,
                        reason, order_id, food_id, purchase_order_id, actor_user_id, at)
                    SELECT @id, s.id, s.restaurant_id, @kind, @on_hand, @reserved, COALESCE(@unit_cost, s.unit_cost),
                        @reason, @order_id, @food_id, @purchase_order_id, @actor, @at
                    FROM inventory.stock_items s WHERE s.id = @item
                    """);
                insert.Parameters.AddWithValue("id", Guid.NewGuid());
                insert.Parameters.AddWithValue("kind", move.Kind);
                insert.Parameters.AddWithValue("on_hand", move.OnHandChange);
                insert.Parameters.AddWithValue("reserved", move.ReservedChange);
                insert.Parameters.Add(new NpgsqlParameter("unit_cost", NpgsqlDbType.Numeric) { Value = (object?)move.UnitCost ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Varchar) { Value = (object?)move.Reason ?? DBNull.Value });
                insert.Parameters.Add(Id("order_id", move.OrderId));
                insert.Parameters.Add(Id("food_id", move.FoodId));
                insert.Parameters.Add(Id("purchase_order_id", move.PurchaseOrderId));
                insert.Parameters.Add(Id("actor", move.ActorUserId));
                insert.Parameters.AddWithValue("at", at);
                insert.Parameters.AddWithValue("item", move.StockItemId);
                batch.BatchCommands.Add(insert);

                var update = new NpgsqlBatchCommand(
                    "UPDATE inventory.stock_items SET on_hand = on_hand + @on_hand, reserved = reserved + @reserved, updated_at = @at WHERE id = @item");
                update.Parameters.AddWithValue("on_hand", move.OnHandChange);
                update.Parameters.AddWithValue("reserved", move.ReservedChange);
                update.Parameters.AddWithValue("at", at);
                update.Parameters.AddWithValue("item", move.StockItemId);
                batch.BatchCommands.Add(update);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await AnnounceChangesAsync(tx, moves.Select(m => m.StockItemId).Distinct().ToArray(), at, ct);
    }

    /// <summary>Re-reads the items (and the foods whose recipes use them) and announces each change of state once.</summary>
    public async Task AnnounceChangesAsync(UnitOfWork tx, Guid[] itemIds, DateTimeOffset at, CancellationToken ct)
    {
        await AnnounceItemAlertsAsync(tx, itemIds, at, ct);
        await AnnounceFoodAvailabilityAsync(tx, itemIds, [], at, ct);
    }

    private static async Task AnnounceItemAlertsAsync(UnitOfWork tx, Guid[] itemIds, DateTimeOffset at, CancellationToken ct)
    {
        var items = await ReadItemsAsync(tx, itemIds, ct);
        foreach (var item in items)
        {
            var low = StockRules.IsLow(item.Available, item.ReorderLevel);
            var depleted = StockRules.IsDepleted(item.Available);
            if (low == item.LowAlerted && depleted == item.Depleted) continue;
            await using var flags = tx.Command("UPDATE inventory.stock_items SET low_alerted = @low, depleted = @depleted WHERE id = @id");
            flags.Parameters.AddWithValue("low", low);
            flags.Parameters.AddWithValue("depleted", depleted);
            flags.Parameters.AddWithValue("id", item.Id);
            await flags.ExecuteNonQueryAsync(ct);
            if (low && !item.LowAlerted)
                tx.Publish(new InventoryLowStock(item.RestaurantId, item.Id, item.Name, item.Unit, item.Available, item.ReorderLevel, at));
            if (depleted && !item.Depleted)
                tx.Publish(new InventoryDepleted(item.RestaurantId, item.Id, item.Name, item.Unit, item.Available, at));
        }
    }

    /// <summary>
    /// The foods whose base recipe uses <paramref name="itemIds"/> (plus <paramref name="foodIds"/>): sold out while an
    /// item cannot cover one portion; a food without a recipe is never held back by stock.
    /// </summary>
    public async Task AnnounceFoodAvailabilityAsync(UnitOfWork tx, Guid[] itemIds, Guid[] foodIds, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            SELECT f.food_id, f.restaurant_id, s.name, r.quantity, s.on_hand - s.reserved, fa.sold_out
            FROM (SELECT DISTINCT food_id, restaurant_id FROM inventory.recipe_lines
                  WHERE option_id = @no_option AND (stock_item_id = ANY(@items) OR food_id = ANY(@foods))
                  UNION
                  SELECT food_id, restaurant_id FROM inventory.food_availability WHERE food_id = ANY(@foods)) f
            LEFT JOIN inventory.recipe_lines r ON r.food_id = f.food_id AND r.option_id = @no_option
            LEFT JOIN inventory.stock_items s ON s.id = r.stock_item_id
            LEFT JOIN inventory.food_availability fa ON fa.food_id = f.food_id
            """);
        command.Parameters.AddWithValue("no_option", NoOption);
        command.Parameters.AddWithValue("items", itemIds);
        command.Parameters.AddWithValue("foods", foodIds);
        var foods = new Dictionary<Guid, (Guid Restaurant, bool? WasSoldOut, List<PortionNeed> Needs)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var foodId = reader.GetGuid(0);
                if (!foods.TryGetValue(foodId, out var food))
                    foods[foodId] = food = (reader.GetGuid(1), reader.IsDBNull(5) ? null : reader.GetBoolean(5), []);
                if (!reader.IsDBNull(2)) food.Needs.Add(new PortionNeed(reader.GetString(2), reader.GetDecimal(3), reader.GetDecimal(4)));
            }
        }
        foreach (var (foodId, food) in foods)
        {
            var shortOf = StockRules.ShortOf(food.Needs);
            var soldOut = shortOf.Count > 0;
            // A food never announced is on the menu: only a change from what the menu shows is news.
            if (soldOut == (food.WasSoldOut ?? false)) continue;
            await RememberAsync(tx, foodId, food.Restaurant, soldOut, ct);
            tx.Publish(new InventoryFoodAvailabilityChanged(food.Restaurant, foodId, soldOut, shortOf, at));
        }
    }

    private static async Task RememberAsync(UnitOfWork tx, Guid foodId, Guid restaurantId, bool soldOut, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO inventory.food_availability (food_id, restaurant_id, sold_out) VALUES (@food, @restaurant, @sold_out)
            ON CONFLICT (food_id) DO UPDATE SET sold_out = excluded.sold_out
            """);
        command.Parameters.AddWithValue("food", foodId);
        command.Parameters.AddWithValue("restaurant", restaurantId);
        command.Parameters.AddWithValue("sold_out", soldOut);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<IReadOnlyList<StockItem>> ReadItemsAsync(UnitOfWork tx, Guid[] ids, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {ItemColumns} FROM inventory.stock_items WHERE id = ANY(@ids) ORDER BY id");
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await ReadItemsAsync(reader, ct);
    }

    public static async Task<IReadOnlyList<StockItem>> ReadItemsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var items = new List<StockItem>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(new StockItem(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetDecimal(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetDecimal(9),
                reader.IsDBNull(10) ? null : reader.GetGuid(10), reader.GetInt32(11), reader.GetBoolean(12), reader.GetBoolean(13)));
        }
        return items;
    }

    private static NpgsqlParameter Id(string name, Guid? value) => new(name, NpgsqlDbType.Uuid) { Value = (object?)value ?? DBNull.Value };
}
