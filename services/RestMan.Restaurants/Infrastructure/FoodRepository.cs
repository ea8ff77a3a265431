using Npgsql;
using RestMan.Data;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Infrastructure;

/// <summary>A food's modifier groups, allergens and dietary tags, stored with it.</summary>
public sealed record FoodDetails(IReadOnlyList<ModifierGroup> ModifierGroups, IReadOnlyList<string> Allergens, IReadOnlyList<string> Diets)
{
    public static readonly FoodDetails None = new([], [], []);

    public static IReadOnlyList<ModifierGroup> GroupsOf(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<List<ModifierGroup>>(json, Json.Options) ?? [];
}

/// <summary>The SQL over <c>restaurant.foods</c>. Methods taking a transaction run inside the caller's (retried) transaction.</summary>
public sealed class FoodRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, restaurant_id, category_id, name, description, price, is_available, created_at, updated_at, modifier_groups::TEXT, allergens, diets, sold_out";

    /// <summary>The restaurant's food, or null when it is unknown, deleted or another restaurant's.</summary>
    public async Task<Food?> FindAsync(UnitOfWork tx, Guid restaurantId, Guid foodId, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"SELECT {Columns} FROM restaurant.foods WHERE id = @id AND restaurant_id = @restaurant_id AND deleted_at IS NULL");
        command.Parameters.AddWithValue("id", foodId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>Every live food of the restaurant, those off the public menu (unavailable, sold out) included: what its owner edits.</summary>
    public async Task<IReadOnlyList<Food>> ListAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM restaurant.foods WHERE restaurant_id = @restaurant_id AND deleted_at IS NULL ORDER BY name, id");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return await ReadAllAsync(command, ct);
    }

    public async Task<Food> InsertAsync(
        UnitOfWork tx, Guid restaurantId, Guid? categoryId, string name, string? description,
        decimal price, bool isAvailable, FoodDetails details, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO restaurant.foods (restaurant_id, category_id, name, description, price, is_available, created_at, updated_at,
                                          modifier_groups, allergens, diets)
            VALUES (@restaurant_id, @category_id, @name, @description, @price, @is_available, @now, @now,
                    @modifier_groups::JSONB, @allergens, @diets)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.Add(new NpgsqlParameter("category_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)categoryId ?? DBNull.Value });
        command.Parameters.AddWithValue("name", name);
        command.Parameters.Add(RestaurantRepository.Text("description", description));
        command.Parameters.AddWithValue("price", price);
        command.Parameters.AddWithValue("is_available", isAvailable);
        command.Parameters.AddWithValue("now", now);
        AddDetails(command, details);
        return (await ReadAllAsync(command, ct)).Single();
    }

    public async Task<Food> UpdateAsync(UnitOfWork tx, Food food, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE restaurant.foods
            SET category_id = @category_id, name = @name, description = @description, price = @price,
                is_available = @is_available, updated_at = @updated_at,
                modifier_groups = @modifier_groups::JSONB, allergens = @allergens, diets = @diets
            WHERE id = @id
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", food.Id);
        command.Parameters.Add(new NpgsqlParameter("category_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)food.CategoryId ?? DBNull.Value });
        command.Parameters.AddWithValue("name", food.Name);
        command.Parameters.Add(RestaurantRepository.Text("description", food.Description));
        command.Parameters.AddWithValue("price", food.Price);
        command.Parameters.AddWithValue("is_available", food.IsAvailable);
        command.Parameters.AddWithValue("updated_at", food.UpdatedAt);
        AddDetails(command, new FoodDetails(food.ModifierGroups, food.Allergens, food.Diets));
        return (await ReadAllAsync(command, ct)).Single();
    }

    public async Task SoftDeleteAsync(UnitOfWork tx, Guid foodId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE restaurant.foods SET deleted_at = @now, updated_at = @now WHERE id = @id AND deleted_at IS NULL");
        command.Parameters.AddWithValue("id", foodId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The foods with these ids, deleted ones included: an order may name a food deleted since it was shown. A food is
    /// available only when it is, is not deleted, and its restaurant is active. Unknown ids are simply absent.
    /// </summary>
    public async Task<IReadOnlyList<InternalFood>> FindForOrderingAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT f.id, f.restaurant_id, f.name, f.price, (f.is_available AND NOT f.sold_out AND f.deleted_at IS NULL AND r.is_active), r.is_active,
                   f.modifier_groups::TEXT, f.allergens
            FROM restaurant.foods f
            JOIN restaurant.restaurants r ON r.id = f.restaurant_id
            WHERE f.id = ANY(@ids)
            ORDER BY f.id
            """);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var foods = new List<InternalFood>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            foods.Add(new InternalFood(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3), reader.GetBoolean(4), reader.GetBoolean(5),
                FoodDetails.GroupsOf(reader.GetString(6)), reader.GetFieldValue<string[]>(7)));
        }
        return foods;
    }

    private static void AddDetails(NpgsqlCommand command, FoodDetails details)
    {
        command.Parameters.AddWithValue("modifier_groups", System.Text.Json.JsonSerializer.Serialize(details.ModifierGroups, Json.Options));
        command.Parameters.AddWithValue("allergens", details.Allergens.ToArray());
        command.Parameters.AddWithValue("diets", details.Diets.ToArray());
    }

    private static async Task<List<Food>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var foods = new List<Food>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            foods.Add(new Food(
                Id: reader.GetGuid(0),
                RestaurantId: reader.GetGuid(1),
                CategoryId: reader.IsDBNull(2) ? null : reader.GetGuid(2),
                Name: reader.GetString(3),
                Description: reader.IsDBNull(4) ? null : reader.GetString(4),
                Price: reader.GetDecimal(5),
                IsAvailable: reader.GetBoolean(6),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(7),
                UpdatedAt: reader.GetFieldValue<DateTimeOffset>(8))
            {
                ModifierGroups = FoodDetails.GroupsOf(reader.GetString(9)),
                Allergens = reader.GetFieldValue<string[]>(10),
                Diets = reader.GetFieldValue<string[]>(11),
                SoldOut = reader.GetBoolean(12),
            });
        }
        return foods;
    }
}
