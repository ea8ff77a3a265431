using Npgsql;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>The SQL over <c>orders.dining_tables</c>. Every status change publishes <c>table.status_changed</c> with it.</summary>
public sealed class TableRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, restaurant_id, number, capacity, section, status, current_order_id, removed_at, created_at, updated_at";

    /// <summary>The table (removed ones too, so an old order still names its table), or null.</summary>
    public async Task<DiningTable?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM orders.dining_tables WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>The restaurant's tables in service, by section then number.</summary>
    public async Task<IReadOnlyList<DiningTable>> ListAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM orders.dining_tables WHERE restaurant_id = @restaurant_id AND removed_at IS NULL ORDER BY section, number");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new List<DiningTable>();
        while (await reader.ReadAsync(ct)) tables.Add(Read(reader));
        return tables;
    }

    /// <summary>The table, locked until the transaction ends: two waiters (or bookings) for one table serialize here.</summary>
    public async Task<DiningTable?> LockAsync(UnitOfWork tx, Guid id)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM orders.dining_tables WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, CancellationToken.None);
    }

    /// <summary>A new AVAILABLE table; the caller maps a unique violation (number taken) to its answer.</summary>
    public async Task<DiningTable> InsertAsync(UnitOfWork tx, Guid restaurantId, int number, int capacity, string section, CancellationToken ct)
    {
        var now = DatabaseTime.Stored(tx.Clock.GetUtcNow());
        await using var command = tx.Command(
            $"""
            INSERT INTO orders.dining_tables (id, restaurant_id, number, capacity, section, status, created_at, updated_at)
            VALUES (@id, @restaurant_id, @number, @capacity, @section, 'AVAILABLE', @now, @now)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("number", number);
        command.Parameters.AddWithValue("capacity", capacity);
        command.Parameters.AddWithValue("section", section);
        command.Parameters.AddWithValue("now", now);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>Changes number, capacity and section of a table in service; null when it is not (any more).</summary>
    public async Task<DiningTable?> UpdateAsync(UnitOfWork tx, Guid id, int number, int capacity, string section, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE orders.dining_tables SET number = @number, capacity = @capacity, section = @section, updated_at = @now
            WHERE id = @id AND removed_at IS NULL
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("number", number);
        command.Parameters.AddWithValue("capacity", capacity);
        command.Parameters.AddWithValue("section", section);
        command.Parameters.AddWithValue("now", DatabaseTime.Stored(tx.Clock.GetUtcNow()));
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>Takes the table out of service (kept, so past orders still name it).</summary>
    public async Task RemoveAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE orders.dining_tables SET removed_at = @now, updated_at = @now WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", DatabaseTime.Stored(tx.Clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Moves a locked table to <paramref name="newStatus"/> and announces it; any status but OCCUPIED leaves the table
    /// without an order. The caller checked <see cref="TableStatus.CanMove"/>.
    /// </summary>
    public Task<DiningTable> SetStatusAsync(UnitOfWork tx, DiningTable table, string newStatus, string changedBy, Guid? userId) =>
        WriteStatusAsync(tx, table, newStatus, newStatus == TableStatus.Occupied ? table.CurrentOrderId : null, changedBy, userId);

    /// <summary>Seats <paramref name="orderId"/> at a locked table: OCCUPIED with that order, announced.</summary>
    public Task<DiningTable> OccupyAsync(UnitOfWork tx, DiningTable table, Guid orderId, string changedBy, Guid? userId) =>
        WriteStatusAsync(tx, table, TableStatus.Occupied, orderId, changedBy, userId);

    private async Task<DiningTable> WriteStatusAsync(
        UnitOfWork tx, DiningTable table, string newStatus, Guid? orderId, string changedBy, Guid? userId)
    {
        var at = DatabaseTime.NextChange(tx.Clock.GetUtcNow(), table.UpdatedAt);
        await using var command = tx.Command(
            $"""
            UPDATE orders.dining_tables SET status = @status, current_order_id = @order_id, updated_at = @at
            WHERE id = @id
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", table.Id);
        command.Parameters.AddWithValue("status", newStatus);
        command.Parameters.Add(new NpgsqlParameter<Guid?>("order_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = orderId });
        command.Parameters.AddWithValue("at", at);
        var changed = (await ReadSingleAsync(command, CancellationToken.None))!;
        tx.Publish(new TableStatusChanged(changed.Id, changed.RestaurantId, changed.Number, changed.Section, table.Status,
            newStatus, orderId, changedBy, userId, at));
        return changed;
    }

    private static async Task<DiningTable?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static DiningTable Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetInt32(2),
        reader.GetInt32(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetGuid(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetFieldValue<DateTimeOffset>(9));
}
