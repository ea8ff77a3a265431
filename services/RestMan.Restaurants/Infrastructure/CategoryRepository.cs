using Npgsql;
using RestMan.Data;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Infrastructure;

/// <summary>
/// The SQL over <c>restaurant.food_categories</c>, run inside the caller's (retried, SERIALIZABLE) transaction.
/// Deleted categories are invisible here: they only survive for the foods and history that still point at them.
/// </summary>
public sealed class CategoryRepository
{
    private const string Columns = "id, restaurant_id, name, description, display_order, created_at, updated_at";

    /// <summary>The restaurant's live category, or null when it is unknown, deleted or another restaurant's.</summary>
    public async Task<Category?> FindAsync(UnitOfWork tx, Guid restaurantId, Guid categoryId, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            SELECT {Columns} FROM restaurant.food_categories
            WHERE id = @id AND restaurant_id = @restaurant_id AND deleted_at IS NULL
            """);
        command.Parameters.AddWithValue("id", categoryId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>After the last live category, so a new one shows at the end of the menu unless told otherwise.</summary>
    public async Task<int> NextDisplayOrderAsync(UnitOfWork tx, Guid restaurantId, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            SELECT COALESCE(MAX(display_order) + 1, 0) FROM restaurant.food_categories
            WHERE restaurant_id = @restaurant_id AND deleted_at IS NULL
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        var next = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        return (int)Math.Min(next, MenuInput.MaxDisplayOrder);
    }

    public async Task<Category> InsertAsync(
        UnitOfWork tx, Guid restaurantId, string name, string? description, int displayOrder,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO restaurant.food_categories (restaurant_id, name, description, display_order, created_at, updated_at)
            VALUES (@restaurant_id, @name, @description, @display_order, @now, @now)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.Add(RestaurantRepository.Text("description", description));
        command.Parameters.AddWithValue("display_order", displayOrder);
        command.Parameters.AddWithValue("now", now);
        return (await ReadSingleAsync(command, ct))!;
    }

    public async Task<Category> UpdateAsync(UnitOfWork tx, Category category, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE restaurant.food_categories
            SET name = @name, description = @description, display_order = @display_order, updated_at = @updated_at
            WHERE id = @id
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", category.Id);
        command.Parameters.AddWithValue("name", category.Name);
        command.Parameters.Add(RestaurantRepository.Text("description", category.Description));
        command.Parameters.AddWithValue("display_order", category.DisplayOrder);
        command.Parameters.AddWithValue("updated_at", category.UpdatedAt);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>Whether any food not deleted (available or not) is still in the category.</summary>
    public async Task<bool> HasLiveFoodsAsync(UnitOfWork tx, Guid categoryId, CancellationToken ct)
    {
        await using var command = tx.Command(
            "SELECT EXISTS (SELECT 1 FROM restaurant.foods WHERE category_id = @category_id AND deleted_at IS NULL)");
        command.Parameters.AddWithValue("category_id", categoryId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task SoftDeleteAsync(UnitOfWork tx, Guid categoryId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE restaurant.food_categories SET deleted_at = @now, updated_at = @now WHERE id = @id AND deleted_at IS NULL");
        command.Parameters.AddWithValue("id", categoryId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Category?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new Category(
            Id: reader.GetGuid(0),
            RestaurantId: reader.GetGuid(1),
            Name: reader.GetString(2),
            Description: reader.IsDBNull(3) ? null : reader.GetString(3),
            DisplayOrder: reader.GetInt32(4),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(5),
            UpdatedAt: reader.GetFieldValue<DateTimeOffset>(6));
    }
}
