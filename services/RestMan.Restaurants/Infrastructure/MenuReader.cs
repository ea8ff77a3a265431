using Npgsql;
using RestMan.Restaurants.Menu;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Infrastructure;

/// <summary>Reads a restaurant's whole public menu in one round trip, for the menu cache to keep.</summary>
public sealed class MenuReader(NpgsqlDataSource dataSource)
{
    /// <summary>The restaurant's menu, or null when there is no such restaurant.</summary>
    public async Task<CachedMenu?> LoadAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("SELECT owner_user_id, name, is_active FROM restaurant.restaurants WHERE id = @restaurant_id", restaurantId));
        batch.BatchCommands.Add(Command(
            """
            SELECT id, name, description, display_order FROM restaurant.food_categories
            WHERE restaurant_id = @restaurant_id AND deleted_at IS NULL
            ORDER BY display_order, name, id
            """, restaurantId));
        batch.BatchCommands.Add(Command(
            """
            SELECT id, category_id, name, description, price, modifier_groups::TEXT, allergens, diets FROM restaurant.foods
            WHERE restaurant_id = @restaurant_id AND deleted_at IS NULL AND is_available AND NOT sold_out
            ORDER BY name, id
            """, restaurantId));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var (ownerUserId, restaurantName, isActive) = (reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2));

        await reader.NextResultAsync(ct);
        var categories = new List<(Guid Id, string Name, string? Description, int DisplayOrder)>();
        while (await reader.ReadAsync(ct))
            categories.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));

        await reader.NextResultAsync(ct);
        var foodsByCategory = categories.ToDictionary(c => c.Id, _ => new List<MenuFood>());
        var uncategorized = new List<MenuFood>();
        while (await reader.ReadAsync(ct))
        {
            var food = new MenuFood(reader.GetGuid(0), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDecimal(4),
                FoodDetails.GroupsOf(reader.GetString(5)), reader.GetFieldValue<string[]>(6), reader.GetFieldValue<string[]>(7));
            // A live food never sits in a deleted category (deleting one with foods is refused); if it ever did, show it rather than lose it.
            if (!reader.IsDBNull(1) && foodsByCategory.TryGetValue(reader.GetGuid(1), out var foods)) foods.Add(food);
            else uncategorized.Add(food);
        }

        var menu = new MenuResponse(
            restaurantId,
            restaurantName,
            categories.Select(c => new MenuCategory(c.Id, c.Name, c.Description, c.DisplayOrder, foodsByCategory[c.Id])).ToList(),
            uncategorized);
        return new CachedMenu(ownerUserId, isActive, menu);
    }

    private static NpgsqlBatchCommand Command(string sql, Guid restaurantId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return command;
    }
}
