using System.Text;
using Npgsql;
using RestMan.Data;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>Which orders a list may show: the caller's scope, narrowed by the query's filters.</summary>
public sealed record OrderFilter(Guid? UserId, IReadOnlyList<Guid>? RestaurantIds, Guid? RestaurantId, string? Status);

/// <summary>The SQL over the <c>orders</c> schema. Methods taking a transaction run inside the caller's (retried) one.</summary>
public sealed class OrderRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, user_id, restaurant_id, order_type, status, total_price, notes, delivery_address, " +
        "placed_at, updated_at, completed_at, cancelled_at, " +
        "order_number, service_day, table_id, covers, reservation_id, rounds, merged_into_order_id, estimated_ready_at";

    /// <summary>What the customer's earlier request with this key stored, or null.</summary>
    public Task<EarlierPlacement?> FindIdempotencyKeyAsync(Guid userId, string key, CancellationToken ct) =>
        IdempotencyKeyRows.Orders.FindAsync(dataSource, userId, key, ct);

    /// <summary>The same, inside the placing transaction.</summary>
    public Task<EarlierPlacement?> FindIdempotencyKeyAsync(UnitOfWork tx, Guid userId, string key, CancellationToken ct) =>
        IdempotencyKeyRows.Orders.FindAsync(tx, userId, key, ct);

    /// <summary>
    /// Stores a new order, its lines, its first history step and its Idempotency-Key in one round trip, with what the
    /// unit of work queued (the order's events).
    /// </summary>
    public async Task InsertAsync(UnitOfWork tx, Order order, IdempotencyKey? key, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var insert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO orders.orders ({Columns}, created_at)
            VALUES (@id, @user_id, @restaurant_id, @order_type, @status, @total_price, @notes, @delivery_address,
                    @placed_at, @placed_at, NULL, NULL,
                    @order_number, @service_day, @table_id, @covers, @reservation_id, @rounds, NULL, NULL, @placed_at)
            """);
        insert.Parameters.AddWithValue("id", order.Id);
        insert.Parameters.AddWithValue("user_id", order.UserId);
        insert.Parameters.AddWithValue("restaurant_id", order.RestaurantId);
        insert.Parameters.AddWithValue("order_type", order.OrderType);
        insert.Parameters.AddWithValue("status", order.Status);
        insert.Parameters.AddWithValue("total_price", order.TotalPrice);
        insert.Parameters.AddWithValue("notes", (object?)order.Notes ?? DBNull.Value);
        insert.Parameters.AddWithValue("delivery_address", (object?)order.DeliveryAddress ?? DBNull.Value);
        insert.Parameters.AddWithValue("placed_at", order.PlacedAt);
        insert.Parameters.Add(new NpgsqlParameter<string?>("order_number", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = order.OrderNumber });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly?>("service_day", NpgsqlTypes.NpgsqlDbType.Date) { TypedValue = order.ServiceDay });
        insert.Parameters.Add(new NpgsqlParameter<Guid?>("table_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = order.TableId });
        insert.Parameters.Add(new NpgsqlParameter<int?>("covers", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = order.Covers });
        insert.Parameters.Add(new NpgsqlParameter<Guid?>("reservation_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = order.ReservationId });
        // An online order is its one round; a table order opened without items has had none yet.
        insert.Parameters.AddWithValue("rounds", order.IsTableOrder ? order.Rounds : 1);
        batch.BatchCommands.Add(insert);
        if (order.IsTableOrder && order.Rounds > 0) batch.BatchCommands.Add(RoundInsert(order.Id, 1, order.PlacedAt));

        for (var i = 0; i < order.Items.Count; i++) batch.BatchCommands.Add(LineInsert(order.Id, order.Items[i] with { LineNo = i + 1, Round = 1 }, order.PlacedAt));

        var placedBy = order.IsTableOrder ? new StatusChanger(Roles.Waiter, order.UserId) : new StatusChanger(Roles.Customer, order.UserId);
        batch.BatchCommands.Add(HistoryInsert(order.Id, 1, null, order.Status, placedBy, order.PlacedAt));
        if (key is not null) batch.BatchCommands.Add(IdempotencyKeyRows.Orders.Insert(key, order.Id, order.PlacedAt));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand LineInsert(Guid orderId, OrderLine line, DateTimeOffset at)
    {
        var item = new NpgsqlBatchCommand(
            """
            INSERT INTO orders.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, round, created_at,
                                            options, note)
            VALUES (@order_id, @line_no, @food_id, @food_name, @unit_price, @quantity, @line_total, @round, @created_at,
                    @options::JSONB, @note)
            """);
        item.Parameters.AddWithValue("order_id", orderId);
        item.Parameters.AddWithValue("line_no", line.LineNo);
        item.Parameters.AddWithValue("food_id", line.FoodId);
        item.Parameters.AddWithValue("food_name", line.FoodName);
        item.Parameters.AddWithValue("unit_price", line.UnitPrice);
        item.Parameters.AddWithValue("quantity", line.Quantity);
        item.Parameters.AddWithValue("line_total", line.LineTotal);
        item.Parameters.AddWithValue("round", line.Round);
        item.Parameters.AddWithValue("created_at", at);
        item.Parameters.Add(new NpgsqlParameter<string?>("options", NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = line.Options.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(line.Options, Json.Options),
        });
        item.Parameters.Add(new NpgsqlParameter<string?>("note", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = line.Note });
        return item;
    }

    private static NpgsqlBatchCommand RoundInsert(Guid orderId, int round, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO orders.order_rounds (order_id, round, kitchen_status, created_at) VALUES (@order_id, @round, 'NEW', @at)");
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("round", round);
        command.Parameters.AddWithValue("at", at);
        return command;
    }

    /// <summary>
    /// Adds a round to a locked table order: its lines, its round row and the order's new total, in one round trip with
    /// what the unit of work queued (its event) and, with a key, the request that asked for it.
    /// </summary>
    public async Task AddRoundAsync(UnitOfWork tx, Order order, int round, IReadOnlyList<OrderLine> lines, decimal newTotal,
        TableOrderRequest? request, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        foreach (var line in lines) batch.BatchCommands.Add(LineInsert(order.Id, line, at));
        batch.BatchCommands.Add(RoundInsert(order.Id, round, at));
        var update = new NpgsqlBatchCommand("UPDATE orders.orders SET total_price = @total, rounds = @round, updated_at = @at WHERE id = @id");
        update.Parameters.AddWithValue("id", order.Id);
        update.Parameters.AddWithValue("total", newTotal);
        update.Parameters.AddWithValue("round", round);
        update.Parameters.AddWithValue("at", at);
        batch.BatchCommands.Add(update);
        if (request is not null) batch.BatchCommands.Add(RequestInsert(request, at));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The highest line number the order has ever had (removed lines keep theirs), 0 for none.</summary>
    public async Task<int> LastLineNoAsync(UnitOfWork tx, Guid orderId, CancellationToken ct)
    {
        await using var command = tx.Command("SELECT COALESCE(MAX(line_no), 0) FROM orders.order_items WHERE order_id = @order_id");
        command.Parameters.AddWithValue("order_id", orderId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }

    /// <summary>One line of the order with its round's kitchen status and whether it was removed; null when there is no such line.</summary>
    public async Task<TableOrderLine?> FindLineAsync(UnitOfWork tx, Guid orderId, int lineNo, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            SELECT i.food_id, i.food_name_snapshot, i.quantity, i.unit_price, i.line_total, i.round, i.removed_at IS NOT NULL,
                   COALESCE(r.kitchen_status, 'NEW')
            FROM orders.order_items i LEFT JOIN orders.order_rounds r ON r.order_id = i.order_id AND r.round = i.round
            WHERE i.order_id = @order_id AND i.line_no = @line_no
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("line_no", lineNo);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var line = new OrderLine(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetDecimal(3), reader.GetDecimal(4))
        {
            LineNo = lineNo,
            Round = reader.GetInt32(5),
        };
        return new TableOrderLine(line, reader.GetBoolean(6), reader.GetString(7));
    }

    /// <summary>Takes a line off a locked order and sets its new total, with the queued event and the request's key.</summary>
    public async Task RemoveLineAsync(UnitOfWork tx, Guid orderId, int lineNo, decimal newTotal, TableOrderRequest? request, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var remove = new NpgsqlBatchCommand("UPDATE orders.order_items SET removed_at = @at WHERE order_id = @order_id AND line_no = @line_no");
        remove.Parameters.AddWithValue("order_id", orderId);
        remove.Parameters.AddWithValue("line_no", lineNo);
        remove.Parameters.AddWithValue("at", at);
        batch.BatchCommands.Add(remove);
        batch.BatchCommands.Add(TotalUpdate(orderId, newTotal, at));
        if (request is not null) batch.BatchCommands.Add(RequestInsert(request, at));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Seats a locked order at another table.</summary>
    public async Task MoveTableAsync(UnitOfWork tx, Guid orderId, Guid tableId, TableOrderRequest? request, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var move = new NpgsqlBatchCommand("UPDATE orders.orders SET table_id = @table_id, updated_at = @at WHERE id = @id");
        move.Parameters.AddWithValue("id", orderId);
        move.Parameters.AddWithValue("table_id", tableId);
        move.Parameters.AddWithValue("at", at);
        batch.BatchCommands.Add(move);
        if (request is not null) batch.BatchCommands.Add(RequestInsert(request, at));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Moves every line and round of <paramref name="from"/> onto <paramref name="into"/> (rounds and line numbers shifted
    /// past the survivor's) and gives the survivor the merged total, rounds and covers; both orders are locked.
    /// </summary>
    public async Task MergeAsync(UnitOfWork tx, Order from, Order into, int roundOffset, int lineOffset, TableOrderRequest? request, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var lines = new NpgsqlBatchCommand(
            "UPDATE orders.order_items SET order_id = @into, line_no = line_no + @line_offset, round = round + @round_offset WHERE order_id = @from");
        var rounds = new NpgsqlBatchCommand(
            "UPDATE orders.order_rounds SET order_id = @into, round = round + @round_offset WHERE order_id = @from");
        var survivor = new NpgsqlBatchCommand(
            """
            UPDATE orders.orders SET total_price = @total, rounds = rounds + @from_rounds, covers = COALESCE(covers, 0) + @from_covers, updated_at = @at
            WHERE id = @into
            """);
        var merged = new NpgsqlBatchCommand("UPDATE orders.orders SET merged_into_order_id = @into, total_price = 0 WHERE id = @from");
        foreach (var command in new[] { lines, rounds, survivor, merged })
        {
            command.Parameters.AddWithValue("from", from.Id);
            command.Parameters.AddWithValue("into", into.Id);
            command.Parameters.AddWithValue("line_offset", lineOffset);
            command.Parameters.AddWithValue("round_offset", roundOffset);
            command.Parameters.AddWithValue("total", Money.Round(from.TotalPrice + into.TotalPrice));
            command.Parameters.AddWithValue("from_rounds", from.Rounds);
            command.Parameters.AddWithValue("from_covers", from.Covers ?? 0);
            command.Parameters.AddWithValue("at", at);
            batch.BatchCommands.Add(command);
        }
        if (request is not null) batch.BatchCommands.Add(RequestInsert(request, at));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records the kitchen's status of one round of a table order (as the kitchen announced it).</summary>
    /// <summary>The kitchen's estimate for the order: the latest its stations gave (a round's tickets each may give one).</summary>
    public async Task SetEstimateAsync(UnitOfWork tx, Guid orderId, DateTimeOffset estimatedReadyAt, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE orders.orders SET estimated_ready_at = GREATEST(COALESCE(estimated_ready_at, @estimate), @estimate) WHERE id = @id");
        command.Parameters.AddWithValue("id", orderId);
        command.Parameters.AddWithValue("estimate", estimatedReadyAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task SetRoundKitchenStatusAsync(UnitOfWork tx, Guid orderId, int round, string status, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE orders.order_rounds SET kitchen_status = @status WHERE order_id = @order_id AND round = @round");
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("round", round);
        command.Parameters.AddWithValue("status", status);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The fingerprint an earlier change of this order with this key came with, or null.</summary>
    public async Task<string?> FindRequestAsync(UnitOfWork tx, Guid orderId, string key, CancellationToken ct)
    {
        await using var command = tx.Command(
            "SELECT request_hash FROM orders.table_order_requests WHERE order_id = @order_id AND idempotency_key = @key");
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static NpgsqlBatchCommand TotalUpdate(Guid orderId, decimal total, DateTimeOffset at)
    {
        var update = new NpgsqlBatchCommand("UPDATE orders.orders SET total_price = @total, updated_at = @at WHERE id = @id");
        update.Parameters.AddWithValue("id", orderId);
        update.Parameters.AddWithValue("total", total);
        update.Parameters.AddWithValue("at", at);
        return update;
    }

    private static NpgsqlBatchCommand RequestInsert(TableOrderRequest request, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO orders.table_order_requests (order_id, idempotency_key, request_hash, created_at)
            VALUES (@order_id, @key, @hash, @at)
            """);
        command.Parameters.AddWithValue("order_id", request.OrderId);
        command.Parameters.AddWithValue("key", request.Key);
        command.Parameters.AddWithValue("hash", request.Fingerprint);
        command.Parameters.AddWithValue("at", at);
        return command;
    }

    /// <summary>The order with its lines, or null.</summary>
    public async Task<Order?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM orders.orders WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        var order = await ReadSingleAsync(command, ct);
        if (order is null) return null;
        var items = await ItemsOfAsync(connection, [id], ct);
        return order with { Items = items.GetValueOrDefault(id, []) };
    }

    /// <summary>The order header, locked until the transaction ends, so its status can be changed safely.</summary>
    public async Task<Order?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM orders.orders WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>Moves a locked order to <paramref name="newStatus"/> and records the step in its history.</summary>
    public async Task<Order> ChangeStatusAsync(UnitOfWork tx, Order order, string newStatus, StatusChanger changer, DateTimeOffset at, CancellationToken ct)
    {
        await using (var batch = tx.Batch())
        {
            batch.BatchCommands.Add(HistoryInsert(order.Id, null, order.Status, newStatus, changer, at));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await using var update = tx.Command(
            $"""
            UPDATE orders.orders
            SET status = @status, updated_at = @at,
                completed_at = CASE WHEN @status = 'COMPLETED' THEN @at ELSE completed_at END,
                cancelled_at = CASE WHEN @status = 'CANCELLED' THEN @at ELSE cancelled_at END
            WHERE id = @id
            RETURNING {Columns}
            """);
        update.Parameters.AddWithValue("id", order.Id);
        update.Parameters.AddWithValue("status", newStatus);
        update.Parameters.AddWithValue("at", at);
        return (await ReadSingleAsync(update, ct))!;
    }

    public async Task<IReadOnlyList<OrderStep>> HistoryAsync(Guid orderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT step, old_status, new_status, changed_by, changed_by_user_id, changed_at
            FROM orders.order_status_history WHERE order_id = @order_id ORDER BY step
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var steps = new List<OrderStep>();
        while (await reader.ReadAsync(ct))
        {
            steps.Add(new OrderStep(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return steps;
    }

    /// <summary>One page of the orders the filter allows, newest first, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<Order> Orders, long Total)> ListAsync(OrderFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var where = new StringBuilder("TRUE");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand { Connection = connection };
        await using var list = new NpgsqlCommand { Connection = connection };
        void Filter(string column, object? value)
        {
            if (value is null) return;
            where.Append($" AND {column} = @{column}");
            count.Parameters.AddWithValue(column, value);
            list.Parameters.AddWithValue(column, value);
        }
        Filter("user_id", filter.UserId);
        Filter("status", filter.Status);
        Filter("restaurant_id", filter.RestaurantId);
        if (filter.RestaurantIds is { } scope)
        {
            where.Append(" AND restaurant_id = ANY(@restaurant_ids)");
            count.Parameters.AddWithValue("restaurant_ids", scope.ToArray());
            list.Parameters.AddWithValue("restaurant_ids", scope.ToArray());
        }

        count.CommandText = $"SELECT count(*) FROM orders.orders WHERE {where}";
        var total = (long)(await count.ExecuteScalarAsync(ct))!;

        list.CommandText = $"SELECT {Columns} FROM orders.orders WHERE {where} ORDER BY placed_at DESC, id LIMIT @limit OFFSET @offset";
        list.Parameters.AddWithValue("limit", pageSize);
        list.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        var orders = await ReadAllAsync(list, ct);
        if (orders.Count == 0) return (orders, total);

        var items = await ItemsOfAsync(connection, orders.Select(o => o.Id).ToArray(), ct);
        return (orders.Select(o => o with { Items = items.GetValueOrDefault(o.Id, []) }).ToList(), total);
    }

    private static async Task<Dictionary<Guid, List<OrderLine>>> ItemsOfAsync(
        NpgsqlConnection connection, Guid[] orderIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT i.order_id, i.food_id, i.food_name_snapshot, i.quantity, i.unit_price, i.line_total, i.line_no, i.round, r.kitchen_status,
                   i.options::TEXT, i.note
            FROM orders.order_items i LEFT JOIN orders.order_rounds r ON r.order_id = i.order_id AND r.round = i.round
            WHERE i.order_id = ANY(@ids) AND i.removed_at IS NULL ORDER BY i.order_id, i.line_no
            """, connection);
        command.Parameters.AddWithValue("ids", orderIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new Dictionary<Guid, List<OrderLine>>();
        while (await reader.ReadAsync(ct))
        {
            var orderId = reader.GetGuid(0);
            if (!items.TryGetValue(orderId, out var lines)) items[orderId] = lines = [];
            lines.Add(new OrderLine(reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetDecimal(4), reader.GetDecimal(5))
            {
                LineNo = reader.GetInt32(6),
                Round = reader.GetInt32(7),
                KitchenStatus = reader.IsDBNull(8) ? null : reader.GetString(8),
                Options = reader.IsDBNull(9) ? [] : System.Text.Json.JsonSerializer.Deserialize<List<OrderItemOption>>(reader.GetString(9), Json.Options) ?? [],
                Note = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }
        return items;
    }

    /// <summary>Appends a history step; without a step number, the order's next one.</summary>
    private static NpgsqlBatchCommand HistoryInsert(Guid orderId, int? step, string? oldStatus, string newStatus, StatusChanger changer, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO orders.order_status_history (order_id, step, old_status, new_status, changed_by, changed_by_user_id, changed_at)
            SELECT @order_id,
                   COALESCE(@step, (SELECT COALESCE(MAX(step), 0) + 1 FROM orders.order_status_history WHERE order_id = @order_id)),
                   @old_status, @new_status, @changed_by, @changed_by_user_id, @changed_at
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.Add(new NpgsqlParameter<int?>("step", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = step });
        command.Parameters.Add(new NpgsqlParameter<string?>("old_status", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = oldStatus });
        command.Parameters.AddWithValue("new_status", newStatus);
        command.Parameters.AddWithValue("changed_by", changer.Role);
        command.Parameters.Add(new NpgsqlParameter<Guid?>("changed_by_user_id", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = changer.UserId });
        command.Parameters.AddWithValue("changed_at", at);
        return command;
    }

    private static async Task<Order?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static async Task<List<Order>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var orders = new List<Order>();
        while (await reader.ReadAsync(ct)) orders.Add(Read(reader));
        return orders;
    }

    private static Order Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetDecimal(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11))
    {
        OrderNumber = reader.IsDBNull(12) ? null : reader.GetString(12),
        ServiceDay = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateOnly>(13),
        TableId = reader.IsDBNull(14) ? null : reader.GetGuid(14),
        Covers = reader.IsDBNull(15) ? null : reader.GetInt32(15),
        ReservationId = reader.IsDBNull(16) ? null : reader.GetGuid(16),
        Rounds = reader.GetInt32(17),
        MergedIntoOrderId = reader.IsDBNull(18) ? null : reader.GetGuid(18),
        EstimatedReadyAt = reader.IsDBNull(19) ? null : reader.GetFieldValue<DateTimeOffset>(19),
    };

    /// <summary>The open table order seated at the table, or null.</summary>
    public async Task<Order?> FindOpenAtTableAsync(Guid tableId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT id FROM orders.orders WHERE table_id = @table_id AND status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY placed_at DESC LIMIT 1");
        command.Parameters.AddWithValue("table_id", tableId);
        return await command.ExecuteScalarAsync(ct) is Guid id ? await FindAsync(id, ct) : null;
    }
}

/// <summary>A waiter's Idempotency-Key on a change of a table order, with the fingerprint of the request it came with.</summary>
public sealed record TableOrderRequest(Guid OrderId, string Key, string Fingerprint);

/// <summary>A line of a table order as a removal sees it: removed already or not, and how far the kitchen is with its round.</summary>
public sealed record TableOrderLine(OrderLine Line, bool Removed, string KitchenStatus);
