using Npgsql;
using RestMan.Data;
using NpgsqlTypes;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Infrastructure;

/// <summary>The SQL over <c>restaurant.restaurants</c>.</summary>
public sealed class RestaurantRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, owner_user_id, name, address, phone, is_active, created_at, updated_at, opens_at, closes_at";

    public async Task<Restaurant> InsertAsync(
        Guid ownerUserId, string name, string? address, string? phone, TimeOnly opensAt, TimeOnly closesAt, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO restaurant.restaurants (owner_user_id, name, address, phone, is_active, created_at, updated_at, opens_at, closes_at)
            VALUES (@owner_user_id, @name, @address, @phone, true, @now, @now, @opens_at, @closes_at)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("owner_user_id", ownerUserId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.Add(Text("address", address));
        command.Parameters.Add(Text("phone", phone));
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("opens_at", opensAt);
        command.Parameters.AddWithValue("closes_at", closesAt);
        return (await ReadAllAsync(command, ct)).Single();
    }

    public async Task<Restaurant?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM restaurant.restaurants WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    public async Task<Restaurant?> FindAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM restaurant.restaurants WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    public async Task<Restaurant> UpdateAsync(UnitOfWork tx, Restaurant restaurant, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE restaurant.restaurants
            SET name = @name, address = @address, phone = @phone, is_active = @is_active, updated_at = @updated_at,
                opens_at = @opens_at, closes_at = @closes_at
            WHERE id = @id
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", restaurant.Id);
        command.Parameters.AddWithValue("name", restaurant.Name);
        command.Parameters.Add(Text("address", restaurant.Address));
        command.Parameters.Add(Text("phone", restaurant.Phone));
        command.Parameters.AddWithValue("is_active", restaurant.IsActive);
        command.Parameters.AddWithValue("updated_at", restaurant.UpdatedAt);
        command.Parameters.AddWithValue("opens_at", restaurant.OpensAt);
        command.Parameters.AddWithValue("closes_at", restaurant.ClosesAt);
        return (await ReadAllAsync(command, ct)).Single();
    }

    /// <summary>Active restaurants by name, for the public list.</summary>
    public async Task<IReadOnlyList<Restaurant>> ListActiveAsync(int limit, int offset, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM restaurant.restaurants WHERE is_active ORDER BY name, id LIMIT @limit OFFSET @offset");
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("offset", offset);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>Every restaurant of one owner, inactive ones included: the owner still manages those.</summary>
    public async Task<IReadOnlyList<Restaurant>> ListByOwnerAsync(Guid ownerUserId, int limit, int offset, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM restaurant.restaurants WHERE owner_user_id = @owner ORDER BY name, id LIMIT @limit OFFSET @offset");
        command.Parameters.AddWithValue("owner", ownerUserId);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("offset", offset);
        return await ReadAllAsync(command, ct);
    }

    internal static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static async Task<List<Restaurant>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var restaurants = new List<Restaurant>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            restaurants.Add(new Restaurant(
                Id: reader.GetGuid(0),
                OwnerUserId: reader.GetGuid(1),
                Name: reader.GetString(2),
                Address: reader.IsDBNull(3) ? null : reader.GetString(3),
                Phone: reader.IsDBNull(4) ? null : reader.GetString(4),
                IsActive: reader.GetBoolean(5),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(6),
                UpdatedAt: reader.GetFieldValue<DateTimeOffset>(7))
            {
                OpensAt = reader.GetFieldValue<TimeOnly>(8),
                ClosesAt = reader.GetFieldValue<TimeOnly>(9),
            });
        }
        return restaurants;
    }
}
