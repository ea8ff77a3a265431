using Npgsql;
using RestMan.Data;

namespace RestMan.Auth.Infrastructure;

public sealed record Account(Guid Id, string Email, string Role, bool IsActive, Guid? RestaurantId, DateTimeOffset? LastVerifiedAt);

/// <summary>The SQL over <c>auth.users</c>. Methods taking a transaction run inside the caller's (retried) transaction.</summary>
public sealed class UserRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, email, role, is_active, restaurant_id, last_verified_at";

    /// <summary>
    /// Signs the email in: a new email becomes an account of <paramref name="requestedRole"/>; an existing one keeps its
    /// role and is reactivated. Null for a staff account (kitchen or waiter) no longer bound to a restaurant, which may not sign in.
    /// </summary>
    public async Task<Account?> UpsertOnLoginAsync(
        UnitOfWork tx, string email, string requestedRole, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO auth.users AS u (email, role, is_active, last_verified_at, created_at, updated_at)
            VALUES (@email, @role, true, @now, @now, @now)
            ON CONFLICT (email) DO UPDATE
                SET is_active = true, last_verified_at = excluded.last_verified_at, updated_at = excluded.updated_at
                WHERE NOT (u.role = ANY(@staff_roles) AND u.restaurant_id IS NULL)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("role", requestedRole);
        command.Parameters.AddWithValue("staff_roles", Roles.Staff.ToArray());
        command.Parameters.AddWithValue("now", now);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<Account?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM auth.users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<Account?> FindByEmailAsync(UnitOfWork tx, string email, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM auth.users WHERE email = @email");
        command.Parameters.AddWithValue("email", email);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>A new staff account (kitchen or waiter), inactive until its first sign-in.</summary>
    public async Task<Account> InsertStaffAsync(
        UnitOfWork tx, string email, string role, Guid restaurantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO auth.users (email, role, is_active, restaurant_id, created_at, updated_at)
            VALUES (@email, @role, false, @restaurant_id, @now, @now)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("now", now);
        return (await ReadSingleAsync(command, ct))!;
    }

    public async Task<Account> BindStaffAsync(
        UnitOfWork tx, Guid userId, Guid restaurantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE auth.users SET restaurant_id = @restaurant_id, updated_at = @now
            WHERE id = @id AND role IN ('kitch', 'waiter')
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", userId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("now", now);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>Detaches a staff account from its restaurant and switches it off; false when it is not that restaurant's.</summary>
    public async Task<bool> UnbindStaffAsync(Guid userId, Guid restaurantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE auth.users SET restaurant_id = NULL, is_active = false, updated_at = @now
            WHERE id = @id AND role IN ('kitch', 'waiter') AND restaurant_id = @restaurant_id
            """);
        command.Parameters.AddWithValue("id", userId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<Account>> ListStaffAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM auth.users WHERE role IN ('kitch', 'waiter') AND restaurant_id = @restaurant_id ORDER BY email");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>
    /// Switches off up to <paramref name="limit"/> active customer accounts last verified before the cutoff and returns
    /// them. One statement: a concurrent caller's transaction conflicts and, retried, finds them already inactive.
    /// </summary>
    public async Task<IReadOnlyList<Account>> DeactivateStaleCustomersAsync(
        UnitOfWork tx, DateTimeOffset verifiedBefore, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE auth.users SET is_active = false, updated_at = @now
            WHERE id IN (
                SELECT id FROM auth.users
                WHERE role = 'user' AND is_active AND last_verified_at < @verified_before
                ORDER BY last_verified_at
                LIMIT @limit)
            AND role = 'user' AND is_active AND last_verified_at < @verified_before
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("verified_before", verifiedBefore);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ct);
    }

    private static async Task<Account?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = await ReadAllAsync(command, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<IReadOnlyList<Account>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var accounts = new List<Account>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            accounts.Add(new Account(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return accounts;
    }
}
