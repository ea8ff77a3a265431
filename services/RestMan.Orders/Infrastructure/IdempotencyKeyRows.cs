using Npgsql;
using RestMan.Data;

namespace RestMan.Orders.Infrastructure;

/// <summary>
/// A table tying a caller's Idempotency-Key to what its first request made; its primary key (user, key) lets one of
/// two racing requests win. Placed orders and bookings each have theirs.
/// </summary>
public sealed class IdempotencyKeyRows
{
    public static readonly IdempotencyKeyRows Orders = new("orders.idempotency_keys", "order_id");
    public static readonly IdempotencyKeyRows Reservations = new("orders.reservation_idempotency_keys", "reservation_id");

    private readonly string _select;
    private readonly string _insert;

    private IdempotencyKeyRows(string table, string madeColumn)
    {
        _select = $"SELECT request_hash, {madeColumn} FROM {table} WHERE user_id = @user_id AND idempotency_key = @key";
        _insert = $"INSERT INTO {table} (user_id, idempotency_key, request_hash, {madeColumn}, created_at) VALUES (@user_id, @key, @hash, @made, @at)";
    }

    /// <summary>What the caller's earlier request with this key stored, or null.</summary>
    public async Task<EarlierPlacement?> FindAsync(NpgsqlDataSource dataSource, Guid userId, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(_select);
        return await ReadAsync(command, userId, key, ct);
    }

    /// <summary>The same, inside the caller's transaction.</summary>
    public async Task<EarlierPlacement?> FindAsync(UnitOfWork tx, Guid userId, string key, CancellationToken ct)
    {
        await using var command = tx.Command(_select);
        return await ReadAsync(command, userId, key, ct);
    }

    /// <summary>The insert for the batch that makes <paramref name="made"/>.</summary>
    public NpgsqlBatchCommand Insert(IdempotencyKey key, Guid made, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(_insert);
        command.Parameters.AddWithValue("user_id", key.CustomerId);
        command.Parameters.AddWithValue("key", key.Key);
        command.Parameters.AddWithValue("hash", key.Fingerprint);
        command.Parameters.AddWithValue("made", made);
        command.Parameters.AddWithValue("at", at);
        return command;
    }

    private static async Task<EarlierPlacement?> ReadAsync(NpgsqlCommand command, Guid userId, string key, CancellationToken ct)
    {
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new EarlierPlacement(reader.GetString(0), reader.GetGuid(1)) : null;
    }
}
