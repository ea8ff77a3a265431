using Npgsql;
using RestMan.Data;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Infrastructure;

/// <summary>Suppliers and the purchase orders sent to them; a receipt raises stock through the ledger.</summary>
public sealed class PurchasingRepository(NpgsqlDataSource dataSource, StockLedger ledger)
{
    public async Task<IReadOnlyList<Supplier>> SuppliersAsync(IReadOnlyList<Guid> restaurantIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, restaurant_id, name, contact_name, email, phone FROM inventory.suppliers WHERE restaurant_id = ANY(@ids) ORDER BY name");
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        var suppliers = new List<Supplier>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            suppliers.Add(new Supplier(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5)));
        return suppliers;
    }

    public async Task<Supplier?> SupplierAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, restaurant_id, name, contact_name, email, phone FROM inventory.suppliers WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Supplier(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5))
            : null;
    }

    public async Task AddSupplierAsync(UnitOfWork tx, Supplier supplier, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO inventory.suppliers (id, restaurant_id, name, contact_name, email, phone, created_at)
            VALUES (@id, @restaurant, @name, @contact, @email, @phone, @now)
            """);
        command.Parameters.AddWithValue("id", supplier.Id);
        command.Parameters.AddWithValue("restaurant", supplier.RestaurantId);
        command.Parameters.AddWithValue("name", supplier.Name);
        command.Parameters.Add(Nullable("contact", supplier.ContactName));
        command.Parameters.Add(Nullable("email", supplier.Email));
        command.Parameters.Add(Nullable("phone", supplier.Phone));
        command.Parameters.AddWithValue("now", tx.Clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes a DRAFT with these lines; null when there is nothing to order.</summary>
    public async Task<Guid?> DraftAsync(UnitOfWork tx, Supplier supplier, IReadOnlyList<(Guid Item, decimal Quantity, decimal UnitCost)> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return null;
        var id = Guid.NewGuid();
        await using var batch = tx.Batch();
        var order = new NpgsqlBatchCommand(
            "INSERT INTO inventory.purchase_orders (id, restaurant_id, supplier_id, status, created_at) VALUES (@id, @restaurant, @supplier, @status, @now)");
        order.Parameters.AddWithValue("id", id);
        order.Parameters.AddWithValue("restaurant", supplier.RestaurantId);
        order.Parameters.AddWithValue("supplier", supplier.Id);
        order.Parameters.AddWithValue("status", PurchaseOrderStatus.Draft);
        order.Parameters.AddWithValue("now", tx.Clock.GetUtcNow());
        batch.BatchCommands.Add(order);
        foreach (var (item, quantity, unitCost) in lines)
        {
            var line = new NpgsqlBatchCommand(
                "INSERT INTO inventory.purchase_order_lines (purchase_order_id, stock_item_id, quantity, unit_cost) VALUES (@id, @item, @quantity, @cost)");
            line.Parameters.AddWithValue("id", id);
            line.Parameters.AddWithValue("item", item);
            line.Parameters.AddWithValue("quantity", quantity);
            line.Parameters.AddWithValue("cost", unitCost);
            batch.BatchCommands.Add(line);
        }
        await batch.ExecuteNonQueryAsync(ct);
        return id;
    }

    public async Task<IReadOnlyList<PurchaseOrder>> ListAsync(IReadOnlyList<Guid> restaurantIds, Guid? id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT o.id, o.restaurant_id, o.supplier_id, s.name, o.status, o.created_at, o.sent_at, o.received_at,
                   l.stock_item_id, i.name, i.unit, l.quantity, l.unit_cost, l.received
            FROM inventory.purchase_orders o
            JOIN inventory.suppliers s ON s.id = o.supplier_id
            JOIN inventory.purchase_order_lines l ON l.purchase_order_id = o.id
            JOIN inventory.stock_items i ON i.id = l.stock_item_id
            WHERE o.restaurant_id = ANY(@ids) AND (@id::UUID IS NULL OR o.id = @id::UUID)
            ORDER BY o.created_at DESC, o.id, i.name
            """);
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)id ?? DBNull.Value });
        var orders = new List<(PurchaseOrder Order, List<PurchaseOrderLine> Lines)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var orderId = reader.GetGuid(0);
            if (orders.Count == 0 || orders[^1].Order.Id != orderId)
            {
                List<PurchaseOrderLine> lines = [];
                orders.Add((new PurchaseOrder(orderId, reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), At(reader, 6), At(reader, 7), lines), lines));
            }
            orders[^1].Lines.Add(new PurchaseOrderLine(reader.GetGuid(8), reader.GetString(9), reader.GetString(10),
                reader.GetDecimal(11), reader.GetDecimal(12), reader.GetDecimal(13)));
        }
        return orders.Select(o => o.Order).ToList();
    }

    /// <summary>Marks a draft sent; false when it was not a draft (sent twice).</summary>
    public async Task<bool> MarkSentAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE inventory.purchase_orders SET status = @sent, sent_at = @now WHERE id = @id AND status = @draft");
        command.Parameters.AddWithValue("sent", PurchaseOrderStatus.Sent);
        command.Parameters.AddWithValue("draft", PurchaseOrderStatus.Draft);
        command.Parameters.AddWithValue("now", tx.Clock.GetUtcNow());
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Books a delivery against the order: each line's received quantity grows (never past what was ordered — the
    /// caller checked, the row lock keeps two receipts from both passing), stock rises at the delivered cost, and the
    /// item's cost becomes the weighted average. Returns the order's new status.
    /// </summary>
    public async Task<string> ReceiveAsync(UnitOfWork tx, PurchaseOrder order, IReadOnlyList<(Guid Item, decimal Quantity, decimal UnitCost)> received,
        Guid actor, CancellationToken ct)
    {
        var moves = new List<StockMove>();
        foreach (var (itemId, quantity, unitCost) in received)
        {
            await using var line = tx.Command(
                """
                UPDATE inventory.purchase_order_lines SET received = received + @quantity
                WHERE purchase_order_id = @order AND stock_item_id = @item AND received + @quantity <= quantity
                """);
            line.Parameters.AddWithValue("quantity", quantity);
            line.Parameters.AddWithValue("order", order.Id);
            line.Parameters.AddWithValue("item", itemId);
            if (await line.ExecuteNonQueryAsync(ct) != 1) throw new OverReceiptException(itemId);

            var item = await StockRepository.LockAsync(tx, itemId, ct) ?? throw new OverReceiptException(itemId);
            await using var cost = tx.Command("UPDATE inventory.stock_items SET unit_cost = @cost WHERE id = @id");
            cost.Parameters.AddWithValue("cost", StockRules.AverageCost(item.OnHand, item.UnitCost, quantity, unitCost));
            cost.Parameters.AddWithValue("id", itemId);
            await cost.ExecuteNonQueryAsync(ct);
            moves.Add(new StockMove(itemId, MoveKinds.Receive, quantity, 0, PurchaseOrderId: order.Id, ActorUserId: actor, UnitCost: unitCost));
        }
        await ledger.ApplyAsync(tx, moves, ct);

        await using var status = tx.Command(
            """
            UPDATE inventory.purchase_orders
            SET status = CASE WHEN (SELECT bool_and(received >= quantity) FROM inventory.purchase_order_lines WHERE purchase_order_id = @id)
                              THEN 'RECEIVED' ELSE 'PARTIALLY_RECEIVED' END,
                received_at = @now
            WHERE id = @id
            RETURNING status
            """);
        status.Parameters.AddWithValue("id", order.Id);
        status.Parameters.AddWithValue("now", tx.Clock.GetUtcNow());
        return (string)(await status.ExecuteScalarAsync(ct))!;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    private static DateTimeOffset? At(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
    private static NpgsqlParameter Nullable(string name, string? value) => new(name, NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)value ?? DBNull.Value };
}

/// <summary>A delivery larger than what is still outstanding on its line (or of an item not on the order).</summary>
public sealed class OverReceiptException(Guid itemId) : Exception($"Stock item {itemId} was received beyond what the purchase order still awaits.")
{
    public Guid ItemId { get; } = itemId;
}
