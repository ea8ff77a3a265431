using System.Text;
using System.Text.Json;
using Npgsql;
using RestMan.Data;
using RestMan.Kitchen.Model;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>A ticket the delay sweep just flagged late.</summary>
public sealed record DelayedTicket(Guid Id, Guid OrderId, Guid RestaurantId, int Round, Guid StationId, string? StationName, string? OrderNumber,
    DateTimeOffset OpenedAt, string Priority, int ThresholdSeconds);

/// <summary>One bumped line: its food, when its ticket opened, when it was started (if it was) and bumped.</summary>
public sealed record PrepSample(Guid RestaurantId, Guid FoodId, string FoodName, DateTimeOffset OpenedAt, DateTimeOffset? StartedAt, DateTimeOffset BumpedAt);

public sealed record TicketFilter(IReadOnlyList<Guid> RestaurantIds, IReadOnlyList<string> Statuses, Guid? OrderId, Guid? StationId = null);

/// <summary>The SQL over the <c>kitchen</c> schema. Methods taking a transaction run inside the caller's (retried) one.</summary>
public sealed class TicketRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at, cancelled_at, round, order_number, table_id, table_number, station_id, station_name, " +
        "priority, estimated_ready_at, delayed_at";

    /// <summary>Opens the ticket of the order's round with its lines (one statement); false when that round already has one.</summary>
    public async Task<bool> OpenAsync(UnitOfWork tx, KitchenTicket ticket, CancellationToken ct)
    {
        await using var insert = tx.Command(
            """
            WITH ticket AS (
                INSERT INTO kitchen.kitchen_tickets (id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at,
                                                     round, order_number, table_id, table_number, station_id, station_name)
                VALUES (@id, @order_id, @restaurant_id, @order_type, @notes, @status, @placed_at, @created_at, @created_at,
                        @round, @order_number, @table_id, @table_number, @station_id, @station_name)
                ON CONFLICT (order_id, round, station_id) DO NOTHING
                RETURNING id),
            items AS (
                INSERT INTO kitchen.kitchen_ticket_items (ticket_id, line_no, food_id, food_name, quantity, order_line_no, options, note, allergens)
                SELECT ticket.id, item.line_no, item.food_id, item.food_name, item.quantity, item.order_line_no,
                       item.options::JSONB, item.note, item.allergens::JSONB
                FROM ticket, unnest(@line_nos, @food_ids, @food_names, @quantities, @order_line_nos, @options, @line_notes, @allergens)
                    AS item (line_no, food_id, food_name, quantity, order_line_no, options, note, allergens))
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
        insert.Parameters.AddWithValue("order_line_nos", ticket.Items.Select((item, i) => item.OrderLineNo ?? i + 1).ToArray());
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("options", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = ticket.Items.Select(i => i.Options.Count == 0 ? null : JsonSerializer.Serialize(i.Options, Json.Options)).ToArray(),
        });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("line_notes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = ticket.Items.Select(i => i.Note).ToArray(),
        });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("allergens", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = ticket.Items.Select(i => i.Allergens.Count == 0 ? null : JsonSerializer.Serialize(i.Allergens, Json.Options)).ToArray(),
        });
        insert.Parameters.AddWithValue("round", ticket.Round);
        insert.Parameters.Add(new NpgsqlParameter<string?>("order_number", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = ticket.OrderNumber });
        insert.Parameters.Add(new NpgsqlParameter<Guid?>("table_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = ticket.TableId });
        insert.Parameters.Add(new NpgsqlParameter<int?>("table_number", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = ticket.TableNumber });
        insert.Parameters.AddWithValue("station_id", ticket.StationId);
        insert.Parameters.Add(new NpgsqlParameter<string?>("station_name", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = ticket.StationName });
        return (long)(await insert.ExecuteScalarAsync(ct))! == 1;
    }

    /// <summary>Voids the ticket line cooking the order's line; false when there is none (or it was voided already).</summary>
    public async Task<bool> VoidLineAsync(UnitOfWork tx, Guid orderId, int round, int orderLineNo, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE kitchen.kitchen_ticket_items SET voided_at = @at
            WHERE order_line_no = @line_no AND voided_at IS NULL
              AND ticket_id IN (SELECT id FROM kitchen.kitchen_tickets WHERE order_id = @order_id AND round = @round)
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("round", round);
        command.Parameters.AddWithValue("line_no", orderLineNo);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>The order's tickets name its new table.</summary>
    public async Task MoveToTableAsync(UnitOfWork tx, Guid orderId, Guid tableId, int tableNumber, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE kitchen.kitchen_tickets SET table_id = @table_id, table_number = @table_number WHERE order_id = @order_id");
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("table_id", tableId);
        command.Parameters.AddWithValue("table_number", tableNumber);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A merged order's tickets now cook for the order it was merged into: rounds and order lines shifted past the
    /// survivor's, as Orders numbered them. A repeat finds no ticket left on the merged order.
    /// </summary>
    public async Task<int> MoveToOrderAsync(UnitOfWork tx, Guid fromOrderId, Guid intoOrderId, int roundOffset, int lineOffset,
        string? orderNumber, Guid? tableId, int? tableNumber, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var lines = new NpgsqlBatchCommand(
            """
            UPDATE kitchen.kitchen_ticket_items SET order_line_no = order_line_no + @line_offset
            WHERE ticket_id IN (SELECT id FROM kitchen.kitchen_tickets WHERE order_id = @from)
            """);
        var tickets = new NpgsqlBatchCommand(
            """
            UPDATE kitchen.kitchen_tickets SET order_id = @into, round = round + @round_offset,
                   order_number = @order_number, table_id = @table_id, table_number = @table_number
            WHERE order_id = @from
            """);
        foreach (var command in new[] { lines, tickets })
        {
            command.Parameters.AddWithValue("from", fromOrderId);
            command.Parameters.AddWithValue("into", intoOrderId);
            command.Parameters.AddWithValue("line_offset", lineOffset);
            command.Parameters.AddWithValue("round_offset", roundOffset);
            command.Parameters.Add(new NpgsqlParameter<string?>("order_number", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = orderNumber });
            command.Parameters.Add(new NpgsqlParameter<Guid?>("table_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = tableId });
            command.Parameters.Add(new NpgsqlParameter<int?>("table_number", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = tableNumber });
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return reader.RecordsAffected;
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

    /// <summary>
    /// Closes the order's tickets still in the kitchen: CANCELLED with a cancelled order, DELIVERED_TO_SERVICE with an
    /// order the owner completed (its food went out without the kitchen's tap); false when nothing changed.
    /// </summary>
    public async Task<bool> CloseForOrderAsync(UnitOfWork tx, Guid orderId, string status, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE kitchen.kitchen_tickets
            SET status = @status, cancelled_at = CASE WHEN @status = 'CANCELLED' THEN @at END, updated_at = @at
            WHERE order_id = @order_id AND status NOT IN ('DELIVERED_TO_SERVICE', 'CANCELLED')
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>One page of the restaurants' tickets in the order a kitchen works in (urgent, high, then the oldest), and how many in all.</summary>
    public async Task<(IReadOnlyList<KitchenTicket> Tickets, long Total)> ListAsync(TicketFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var where = new StringBuilder("restaurant_id = ANY(@restaurant_ids)");
        if (filter.Statuses.Count > 0) where.Append(" AND status = ANY(@statuses)");
        if (filter.OrderId is not null) where.Append(" AND order_id = @order_id");
        if (filter.StationId is not null) where.Append(" AND station_id = @station_id");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM kitchen.kitchen_tickets WHERE {where}", connection);
        await using var list = new NpgsqlCommand(
            $"SELECT {Columns} FROM kitchen.kitchen_tickets WHERE {where} ORDER BY {TicketPriority.SqlOrder} LIMIT @limit OFFSET @offset", connection);
        foreach (var command in new[] { count, list })
        {
            command.Parameters.AddWithValue("restaurant_ids", filter.RestaurantIds.ToArray());
            if (filter.Statuses.Count > 0) command.Parameters.AddWithValue("statuses", filter.Statuses.ToArray());
            if (filter.OrderId is { } orderId) command.Parameters.AddWithValue("order_id", orderId);
            if (filter.StationId is { } stationId) command.Parameters.AddWithValue("station_id", stationId);
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

    private const string ItemColumns =
        "ticket_id, food_id, food_name, quantity, order_line_no, voided_at IS NOT NULL, line_no, started_at, bumped_at, options::TEXT, note, allergens::TEXT";

    private static async Task<Dictionary<Guid, List<KitchenTicketItem>>> ItemsOfAsync(NpgsqlConnection connection, Guid[] ticketIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ItemColumns} FROM kitchen.kitchen_ticket_items WHERE ticket_id = ANY(@ids) ORDER BY ticket_id, line_no", connection);
        command.Parameters.AddWithValue("ids", ticketIds);
        return await ReadItemsAsync(command, ct);
    }

    /// <summary>The ticket's lines as the transaction sees them.</summary>
    public async Task<IReadOnlyList<KitchenTicketItem>> ItemsAsync(UnitOfWork tx, Guid ticketId, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {ItemColumns} FROM kitchen.kitchen_ticket_items WHERE ticket_id = ANY(@ids) ORDER BY ticket_id, line_no");
        command.Parameters.AddWithValue("ids", new[] { ticketId });
        return (await ReadItemsAsync(command, ct)).GetValueOrDefault(ticketId, []);
    }

    private static async Task<Dictionary<Guid, List<KitchenTicketItem>>> ReadItemsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new Dictionary<Guid, List<KitchenTicketItem>>();
        while (await reader.ReadAsync(ct))
        {
            var ticketId = reader.GetGuid(0);
            if (!items.TryGetValue(ticketId, out var lines)) items[ticketId] = lines = [];
            lines.Add(new KitchenTicketItem(reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetBoolean(5))
            {
                LineNo = reader.GetInt32(6),
                StartedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                BumpedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                Options = reader.IsDBNull(9) ? [] : JsonSerializer.Deserialize<List<TicketItemOption>>(reader.GetString(9), Json.Options) ?? [],
                Note = reader.IsDBNull(10) ? null : reader.GetString(10),
                Allergens = reader.IsDBNull(11) ? [] : JsonSerializer.Deserialize<List<string>>(reader.GetString(11), Json.Options) ?? [],
            });
        }
        return items;
    }

    /// <summary>Starts (IN_PROGRESS) or bumps (READY) one live line; a bumped line counts as started too. False when nothing changed.</summary>
    public async Task<bool> WorkLineAsync(UnitOfWork tx, Guid ticketId, int lineNo, string status, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(status == TicketItemStatus.Ready
            ? """
              UPDATE kitchen.kitchen_ticket_items SET bumped_at = @at, started_at = COALESCE(started_at, @at)
              WHERE ticket_id = @ticket_id AND line_no = @line_no AND voided_at IS NULL AND bumped_at IS NULL
              """
            : """
              UPDATE kitchen.kitchen_ticket_items SET started_at = @at
              WHERE ticket_id = @ticket_id AND line_no = @line_no AND voided_at IS NULL AND started_at IS NULL AND bumped_at IS NULL
              """);
        command.Parameters.AddWithValue("ticket_id", ticketId);
        command.Parameters.AddWithValue("line_no", lineNo);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Bumps every live line not bumped yet (a whole ticket marked READY at once).</summary>
    public async Task BumpAllAsync(UnitOfWork tx, Guid ticketId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE kitchen.kitchen_ticket_items SET bumped_at = @at, started_at = COALESCE(started_at, @at)
            WHERE ticket_id = @ticket_id AND voided_at IS NULL AND bumped_at IS NULL
            """);
        command.Parameters.AddWithValue("ticket_id", ticketId);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statuses of all the tickets of an order's round (one per station), as the transaction sees them.</summary>
    public async Task<IReadOnlyList<string>> RoundStatusesAsync(UnitOfWork tx, Guid orderId, int round, CancellationToken ct)
    {
        await using var command = tx.Command("SELECT status FROM kitchen.kitchen_tickets WHERE order_id = @order_id AND round = @round");
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("round", round);
        var statuses = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) statuses.Add(reader.GetString(0));
        return statuses;
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
        reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9))
    {
        Round = reader.GetInt32(10),
        OrderNumber = reader.IsDBNull(11) ? null : reader.GetString(11),
        TableId = reader.IsDBNull(12) ? null : reader.GetGuid(12),
        TableNumber = reader.IsDBNull(13) ? null : reader.GetInt32(13),
        StationId = reader.GetGuid(14),
        StationName = reader.IsDBNull(15) ? null : reader.GetString(15),
        Priority = reader.GetString(16),
        EstimatedReadyAt = reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17),
        DelayedAt = reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18),
    };

    /// <summary>Sets the ticket's priority; false when it already had it.</summary>
    public async Task<bool> SetPriorityAsync(UnitOfWork tx, Guid id, string priority, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE kitchen.kitchen_tickets SET priority = @priority, updated_at = @at WHERE id = @id AND priority <> @priority");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Records when the kitchen expects the ticket ready (said on accepting it).</summary>
    public async Task SetEstimateAsync(UnitOfWork tx, Guid id, DateTimeOffset estimatedReadyAt, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE kitchen.kitchen_tickets SET estimated_ready_at = @estimate WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("estimate", estimatedReadyAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Flags the tickets still in the kitchen that are past their threshold (the station's, else the restaurant's,
    /// else <paramref name="defaultThresholdSeconds"/>) and not flagged yet, and returns them: a conditional UPDATE
    /// (<c>delayed_at IS NULL</c>), so of two sweeps racing (replicas, or a sweep and a request) only one gets a ticket.
    /// Limited to <paramref name="restaurantIds"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<DelayedTicket>> FlagDelayedAsync(UnitOfWork tx, DateTimeOffset now, int defaultThresholdSeconds,
        IReadOnlyList<Guid>? restaurantIds, int limit, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            WITH due AS (
                SELECT t.id, COALESCE(s.delay_threshold_seconds, k.delay_threshold_seconds, @default_threshold) AS threshold
                FROM kitchen.kitchen_tickets AS t
                LEFT JOIN kitchen.stations AS s ON s.id = t.station_id
                LEFT JOIN kitchen.settings AS k ON k.restaurant_id = t.restaurant_id
                WHERE t.delayed_at IS NULL AND t.status IN ('NEW', 'ACCEPTED', 'IN_PROGRESS')
                  {(restaurantIds is null ? "" : "AND t.restaurant_id = ANY(@restaurant_ids)")}
                  AND t.created_at <= @now - COALESCE(s.delay_threshold_seconds, k.delay_threshold_seconds, @default_threshold) * INTERVAL '1 second'
                  -- No ticket is late before the shortest threshold anywhere: the index scan skips the younger ones.
                  AND t.created_at <= @now - LEAST(@default_threshold,
                      COALESCE((SELECT min(delay_threshold_seconds) FROM kitchen.stations), @default_threshold),
                      COALESCE((SELECT min(delay_threshold_seconds) FROM kitchen.settings), @default_threshold)) * INTERVAL '1 second'
                ORDER BY t.created_at
                LIMIT @limit)
            UPDATE kitchen.kitchen_tickets AS t SET delayed_at = @now
            FROM due
            WHERE t.id = due.id AND t.delayed_at IS NULL AND t.status IN ('NEW', 'ACCEPTED', 'IN_PROGRESS')
            RETURNING t.id, t.order_id, t.restaurant_id, t.round, t.station_id, t.station_name, t.order_number, t.created_at, t.priority, due.threshold
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("default_threshold", defaultThresholdSeconds);
        command.Parameters.AddWithValue("limit", limit);
        if (restaurantIds is not null) command.Parameters.AddWithValue("restaurant_ids", restaurantIds.ToArray());
        var delayed = new List<DelayedTicket>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            delayed.Add(new DelayedTicket(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetInt32(9)));
        return delayed;
    }

    /// <summary>
    /// The restaurants' bumped lines since <paramref name="since"/>, newest first (at most <paramref name="limit"/>):
    /// what the kitchen learns its typical prep time per food from.
    /// </summary>
    public async Task<IReadOnlyList<PrepSample>> PrepSamplesAsync(IReadOnlyList<Guid> restaurantIds, DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT t.restaurant_id, i.food_id, i.food_name, t.created_at, i.started_at, i.bumped_at
            FROM kitchen.kitchen_ticket_items AS i
            JOIN kitchen.kitchen_tickets AS t ON t.id = i.ticket_id
            WHERE t.restaurant_id = ANY(@ids) AND i.bumped_at IS NOT NULL AND i.bumped_at >= @since AND i.voided_at IS NULL
            ORDER BY i.bumped_at DESC
            LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("limit", limit);
        var samples = new List<PrepSample>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            samples.Add(new PrepSample(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        return samples;
    }
}
