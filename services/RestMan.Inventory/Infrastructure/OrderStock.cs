using Npgsql;
using RestMan.Data;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Infrastructure;

/// <summary>
/// What orders hold of the store room: a placed line reserves its recipe's ingredients, a completed order consumes
/// what it reserved, a cancelled order or a removed line releases it. Each line's holding is a row that moves from
/// reserved to consumed or released once, so a redelivered event can never move stock twice.
/// </summary>
public sealed class OrderStock(StockLedger ledger)
{
    public const string Reserved = "reserved";
    public const string Consumed = "consumed";
    public const string Released = "released";

    public async Task ReserveAsync(UnitOfWork tx, Guid orderId, Guid restaurantId, IReadOnlyList<OrderedLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return;
        var recipes = await RecipesOfAsync(tx, lines.Select(l => l.FoodId).Distinct().ToArray(), ct);
        var needs = new List<(int LineNo, Guid FoodId, Guid Item, decimal Quantity)>();
        foreach (var line in lines)
        {
            var parts = recipes.Where(r => r.FoodId == line.FoodId && (r.OptionId is null || line.OptionIds.Contains(r.OptionId.Value)));
            needs.AddRange(parts.GroupBy(r => r.StockItemId)
                .Select(g => (line.LineNo, line.FoodId, g.Key, g.Sum(r => r.Quantity) * line.Quantity)));
        }
        if (needs.Count == 0) return;

        await using var command = tx.Command(
            """
            INSERT INTO inventory.order_stock (order_id, line_no, stock_item_id, restaurant_id, food_id, quantity, state)
            SELECT @order_id, n.line_no, n.item, @restaurant_id, n.food, n.quantity, 'reserved'
            FROM unnest(@line_nos, @items, @foods, @quantities) AS n(line_no, item, food, quantity)
            ON CONFLICT (order_id, line_no, stock_item_id) DO NOTHING
            RETURNING line_no, stock_item_id, food_id, quantity
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("line_nos", needs.Select(n => n.LineNo).ToArray());
        command.Parameters.AddWithValue("items", needs.Select(n => n.Item).ToArray());
        command.Parameters.AddWithValue("foods", needs.Select(n => n.FoodId).ToArray());
        command.Parameters.AddWithValue("quantities", needs.Select(n => n.Quantity).ToArray());
        var reserved = await ReadHoldingsAsync(command, ct);
        await ledger.ApplyAsync(tx, reserved.Select(h => new StockMove(h.Item, MoveKinds.Reserve, 0, h.Quantity, OrderId: orderId, FoodId: h.Food)).ToList(), ct);
    }

    /// <summary>Consumes (the order was served) or releases (cancelled, or <paramref name="lineNo"/> removed) what is still reserved.</summary>
    public async Task SettleAsync(UnitOfWork tx, Guid orderId, bool consume, int? lineNo, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE inventory.order_stock SET state = @state
            WHERE order_id = @order_id AND state = 'reserved' AND (@line_no::INT IS NULL OR line_no = @line_no::INT)
            RETURNING line_no, stock_item_id, food_id, quantity
            """);
        command.Parameters.AddWithValue("state", consume ? Consumed : Released);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.Add(new NpgsqlParameter("line_no", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)lineNo ?? DBNull.Value });
        var settled = await ReadHoldingsAsync(command, ct);
        await ledger.ApplyAsync(tx, settled.Select(h => consume
            ? new StockMove(h.Item, MoveKinds.Consume, -h.Quantity, -h.Quantity, OrderId: orderId, FoodId: h.Food)
            : new StockMove(h.Item, MoveKinds.Release, 0, -h.Quantity, OrderId: orderId, FoodId: h.Food)).ToList(), ct);
    }

    /// <summary>A merged order's holdings follow its lines into the surviving order, renumbered as they were.</summary>
    public async Task MergeAsync(UnitOfWork tx, Guid fromOrderId, Guid intoOrderId, int lineOffset, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE inventory.order_stock SET order_id = @into, line_no = line_no + @offset WHERE order_id = @from");
        command.Parameters.AddWithValue("into", intoOrderId);
        command.Parameters.AddWithValue("offset", lineOffset);
        command.Parameters.AddWithValue("from", fromOrderId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<RecipeLine>> RecipesOfAsync(UnitOfWork tx, Guid[] foodIds, CancellationToken ct)
    {
        await using var command = tx.Command(
            "SELECT food_id, option_id, stock_item_id, quantity FROM inventory.recipe_lines WHERE food_id = ANY(@foods)");
        command.Parameters.AddWithValue("foods", foodIds);
        var lines = new List<RecipeLine>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var option = reader.GetGuid(1);
            lines.Add(new RecipeLine(reader.GetGuid(0), option == StockLedger.NoOption ? null : option, reader.GetGuid(2), reader.GetDecimal(3)));
        }
        return lines;
    }

    private static async Task<List<(int LineNo, Guid Item, Guid Food, decimal Quantity)>> ReadHoldingsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var holdings = new List<(int, Guid, Guid, decimal)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) holdings.Add((reader.GetInt32(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetDecimal(3)));
        return holdings;
    }
}
