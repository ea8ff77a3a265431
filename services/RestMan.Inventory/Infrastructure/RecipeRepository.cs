using Npgsql;
using RestMan.Data;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Infrastructure;

/// <summary>What a portion of each food (and each modifier option) takes from the store room.</summary>
public sealed class RecipeRepository(NpgsqlDataSource dataSource, StockLedger ledger)
{
    public async Task<RecipeResponse?> FindAsync(Guid foodId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.restaurant_id, r.stock_item_id, s.name, s.unit, r.quantity, r.option_id
            FROM inventory.recipe_lines r JOIN inventory.stock_items s ON s.id = r.stock_item_id
            WHERE r.food_id = @food ORDER BY r.option_id, s.name
            """);
        command.Parameters.AddWithValue("food", foodId);
        Guid? restaurant = null;
        var lines = new List<RecipeLineResponse>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            restaurant = reader.GetGuid(0);
            var option = reader.GetGuid(5);
            lines.Add(new RecipeLineResponse(reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4),
                option == StockLedger.NoOption ? null : option));
        }
        return restaurant is { } id ? new RecipeResponse(foodId, id, lines) : null;
    }

    /// <summary>
    /// Replaces the food's recipe; false when a line names an item of another restaurant. Whether the food can be sold
    /// is re-judged at once (a recipe larger than the shelf makes it sold out).
    /// </summary>
    public async Task<bool> SaveAsync(UnitOfWork tx, Guid restaurantId, Guid foodId, IReadOnlyList<RecipeLine> lines, CancellationToken ct)
    {
        var itemIds = lines.Select(l => l.StockItemId).Distinct().ToArray();
        await using (var check = tx.Command("SELECT count(*) FROM inventory.stock_items WHERE id = ANY(@ids) AND restaurant_id = @restaurant"))
        {
            check.Parameters.AddWithValue("ids", itemIds);
            check.Parameters.AddWithValue("restaurant", restaurantId);
            if (Convert.ToInt32(await check.ExecuteScalarAsync(ct)) != itemIds.Length) return false;
        }
        await using (var batch = tx.Batch())
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM inventory.recipe_lines WHERE food_id = @food");
            delete.Parameters.AddWithValue("food", foodId);
            batch.BatchCommands.Add(delete);
            foreach (var line in lines)
            {
                var insert = new NpgsqlBatchCommand(
                    """
                    INSERT INTO inventory.recipe_lines (food_id, option_id, stock_item_id, restaurant_id, quantity)
                    VALUES (@food, @option, @item, @restaurant, @quantity)
                    """);
                insert.Parameters.AddWithValue("food", foodId);
                insert.Parameters.AddWithValue("option", line.OptionId ?? StockLedger.NoOption);
                insert.Parameters.AddWithValue("item", line.StockItemId);
                insert.Parameters.AddWithValue("restaurant", restaurantId);
                insert.Parameters.AddWithValue("quantity", line.Quantity);
                batch.BatchCommands.Add(insert);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await ledger.AnnounceFoodAvailabilityAsync(tx, [], [foodId], tx.Clock.GetUtcNow(), ct);
        return true;
    }
}
