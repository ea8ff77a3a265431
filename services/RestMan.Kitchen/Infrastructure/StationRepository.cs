using Npgsql;
using RestMan.Data;
using RestMan.Kitchen.Model;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>The SQL over a restaurant's stations and the menu categories of its foods.</summary>
public sealed class StationRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, restaurant_id, name, is_default, category_ids, food_ids, delay_threshold_seconds";

    public async Task<IReadOnlyList<Station>> ListAsync(IReadOnlyList<Guid> restaurantIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM kitchen.stations WHERE restaurant_id = ANY(@ids) ORDER BY restaurant_id, name", connection);
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        return await ReadAsync(command, ct);
    }

    public async Task<Station?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM kitchen.stations WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    /// <summary>The restaurant's stations as the transaction sees them.</summary>
    public async Task<IReadOnlyList<Station>> OfRestaurantAsync(UnitOfWork tx, Guid restaurantId, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM kitchen.stations WHERE restaurant_id = @id ORDER BY name");
        command.Parameters.AddWithValue("id", restaurantId);
        return await ReadAsync(command, ct);
    }

    /// <summary>
    /// Saves the station; what it now routes leaves the restaurant's other stations (a food or category goes to one),
    /// and a new default ends the old one. False when another station of the restaurant has its name.
    /// </summary>
    public async Task<bool> SaveAsync(UnitOfWork tx, Station station, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var others = new NpgsqlBatchCommand(
            """
            UPDATE kitchen.stations
            SET category_ids = ARRAY(SELECT c FROM unnest(category_ids) AS c WHERE NOT c = ANY(@category_ids)),
                food_ids = ARRAY(SELECT f FROM unnest(food_ids) AS f WHERE NOT f = ANY(@food_ids)),
                is_default = is_default AND NOT @is_default
            WHERE restaurant_id = @restaurant_id AND id <> @id
            """);
        var upsert = new NpgsqlBatchCommand(
            """
            INSERT INTO kitchen.stations (id, restaurant_id, name, is_default, category_ids, food_ids, delay_threshold_seconds)
            VALUES (@id, @restaurant_id, @name, @is_default, @category_ids, @food_ids, @delay_threshold_seconds)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, is_default = excluded.is_default,
                category_ids = excluded.category_ids, food_ids = excluded.food_ids, delay_threshold_seconds = excluded.delay_threshold_seconds
            """);
        foreach (var command in new[] { others, upsert })
        {
            command.Parameters.AddWithValue("id", station.Id);
            command.Parameters.AddWithValue("restaurant_id", station.RestaurantId);
            command.Parameters.AddWithValue("name", station.Name);
            command.Parameters.AddWithValue("is_default", station.IsDefault);
            command.Parameters.AddWithValue("category_ids", station.CategoryIds.ToArray());
            command.Parameters.AddWithValue("food_ids", station.FoodIds.ToArray());
            command.Parameters.Add(new NpgsqlParameter<int?>("delay_threshold_seconds", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = station.DelayThresholdSeconds });
            batch.BatchCommands.Add(command);
        }
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command("DELETE FROM kitchen.stations WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>The menu category of each of these foods the kitchen has heard of.</summary>
    public async Task<IReadOnlyDictionary<Guid, Guid>> CategoriesOfAsync(UnitOfWork tx, IReadOnlyList<Guid> foodIds, CancellationToken ct)
    {
        await using var command = tx.Command("SELECT food_id, category_id FROM kitchen.menu_foods WHERE food_id = ANY(@ids) AND category_id IS NOT NULL");
        command.Parameters.AddWithValue("ids", foodIds.Distinct().ToArray());
        var categories = new Dictionary<Guid, Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) categories[reader.GetGuid(0)] = reader.GetGuid(1);
        return categories;
    }

    /// <summary>Remembers (or updates) a food's menu category.</summary>
    public async Task RememberFoodAsync(UnitOfWork tx, Guid foodId, Guid restaurantId, Guid? categoryId, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO kitchen.menu_foods (food_id, restaurant_id, category_id) VALUES (@food_id, @restaurant_id, @category_id)
            ON CONFLICT (food_id) DO UPDATE SET category_id = excluded.category_id
            """);
        command.Parameters.AddWithValue("food_id", foodId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.Add(new NpgsqlParameter<Guid?>("category_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = categoryId });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<Station>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var stations = new List<Station>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            stations.Add(new Station(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetBoolean(3),
                reader.GetFieldValue<Guid[]>(4), reader.GetFieldValue<Guid[]>(5))
            {
                DelayThresholdSeconds = reader.IsDBNull(6) ? null : reader.GetInt32(6),
            });
        return stations;
    }
}
