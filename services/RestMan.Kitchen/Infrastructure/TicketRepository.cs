using System.Text;
using Npgsql;
using RestMan.Data;
using RestMan.Kitchen.Model;

namespace RestMan.Kitchen.Infrastructure;

public sealed record TicketFilter(IReadOnlyList<Guid> RestaurantIds, IReadOnlyList<string> Statuses, Guid? OrderId);

/// <summary>The SQL over the <c>kitchen</c> schema. Methods taking a transaction run inside the caller's (retried) one.</summary>
public sealed class TicketRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at, cancelled_at";

    /// <summary>Opens the order's ticket with its lines (one statement); false when the order already has one.</summary>
    public async Task<bool> OpenAsync(UnitOfWork tx, KitchenTicket ticket, CancellationToken ct)
    {
        await using var insert = tx.Command(
            """
            WITH ticket AS (
                INSERT INTO kitchen.kitchen_tickets (id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at)
                VALUES (@id, @order_id, @restaurant_id, @order_type, @notes, @status, @placed_at, @created_at, @created_at)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING id),
            items AS (
                INSERT INTO kitchen.kitchen_ticket_items (ticket_id, line_no, food_id, food_name, quantity)
                SELECT ticket.id, item.line_no, item.food_id, item.food_name, item.quantity
                FROM ticket, unnest(@line_nos, @food_ids, @food_names, @quantities) AS item (line_no, food_id, food_name, quantity))
            SELECT count(*) FROM ticket
            """);
        insert.Parameters.AddWithValue("id", ticket.Id);
        insert.Parameters.AddWithValue("order_id", ticket.OrderId);
        insert.Parameters.AddWithValue("restaurant_id", ticket.RestaurantId);
        insert.Parameters.AddWithValue("order_type", ticket.OrderType);
        insert.Parameters.AddWithValue("notes", (object?)ticket.Notes ?? DBNull.Value);
        insert.Parameters.AddWithValue("status", ticket.Status);
        insert.Parameters.AddWithValue("placed_at", ticket.PlacedAt);
        insert.Parameters.AddWithValue("created_at", ticket.CreatedAt);
        insert.Parameters.AddWithValue("line_nos", Enumerable.Range(1, ticket.Items.Count).ToArray());
        insert.Parameters.AddWithValue("food_ids", ticket.Items.Select(i => i.FoodId).ToArray());
        insert.Parameters.AddWithValue("food_names", ticket.Items.Select(i => i.FoodName).ToArray());
        insert.Parameters.AddWithValue("quantities", ticket.Items.Select(i => i.Quantity).ToArray());
        return (long)(await insert.ExecuteScalarAsync(ct))! == 1;
    }

    public async Task<KitchenTicket?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM kitchen.kitchen_tickets WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        var ticket = await ReadSingleAsync(command, ct);
        if (ticket is null) return null;
        var items = await ItemsOfAsync(connection, [id], ct);
        return ticket with { Items = items.GetValueOrDefault(id, []) };
    }

    /// <summary>The ticket header, locked until the transaction ends.</summary>
    public async Task<KitchenTicket?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM kitchen.kitchen_tickets WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>Moves the ticket, in one round trip with what the unit of work queued (its event).</summary>
    public async Task ChangeStatusAsync(UnitOfWork tx, Guid id, string status, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var command = new NpgsqlBatchCommand("UPDATE kitchen.kitchen_tickets SET status = @status, updated_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("at", at);
        batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Cancels the order's ticket unless it is already out of the kitchen; false when nothing changed.</summary>
    public async Task<bool> CancelForOrderAsync(UnitOfWork tx, Guid orderId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE kitchen.kitchen_tickets SET status = 'CANCELLED', cancelled_at = @at, updated_at = @at
            WHERE order_id = @order_id AND status NOT IN ('DELIVERED_TO_SERVICE', 'CANCELLED')
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>One page of the restaurants' tickets, oldest first (the order a kitchen works in), and how many in all.</summary>
    public async Task<(IReadOnlyList<KitchenTicket> Tickets, long Total)> ListAsync(TicketFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var where = new StringBuilder("restaurant_id = ANY(@restaurant_ids)");
        if (filter.Statuses.Count > 0) where.Append(" AND status = ANY(@statuses)");
        if (filter.OrderId is not null) where.Append(" AND order_id = @order_id");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM kitchen.kitchen_tickets WHERE {where}", connection);
        await using var list = new NpgsqlCommand(
            $"SELECT {Columns} FROM kitchen.kitchen_tickets WHERE {where} ORDER BY created_at, id LIMIT @limit OFFSET @offset", connection);
        foreach (var command in new[] { count, list })
        {
            command.Parameters.AddWithValue("restaurant_ids", filter.RestaurantIds.ToArray());
            if (filter.Statuses.Count > 0) command.Parameters.AddWithValue("statuses", filter.Statuses.ToArray());
            if (filter.OrderId is { } orderId) command.Parameters.AddWithValue("order_id", orderId);
        }
        list.Parameters.AddWithValue("limit", pageSize);
        list.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);

        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        var tickets = new List<KitchenTicket>();
        await using (var reader = await list.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) tickets.Add(Read(reader));
        if (tickets.Count == 0) return (tickets, total);

        var items = await ItemsOfAsync(connection, tickets.Select(t => t.Id).ToArray(), ct);
        return (tickets.Select(t => t with { Items = items.GetValueOrDefault(t.Id, []) }).ToList(), total);
    }

    private static async Task<Dictionary<Guid, List<KitchenTicketItem>>> ItemsOfAsync(NpgsqlConnection connection, Guid[] ticketIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT ticket_id, food_id, food_name, quantity FROM kitchen.kitchen_ticket_items
            WHERE ticket_id = ANY(@ids) ORDER BY ticket_id, line_no
            """, connection);
        command.Parameters.AddWithValue("ids", ticketIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new Dictionary<Guid, List<KitchenTicketItem>>();
        while (await reader.ReadAsync(ct))
        {
            var ticketId = reader.GetGuid(0);
            if (!items.TryGetValue(ticketId, out var lines)) items[ticketId] = lines = [];
            lines.Add(new KitchenTicketItem(reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3)));
        }
        return items;
    }

    private static async Task<KitchenTicket?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static KitchenTicket Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9));
}
