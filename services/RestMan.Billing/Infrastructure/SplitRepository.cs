using System.Text.Json;
using Npgsql;
using RestMan.Billing.Model;
using RestMan.Data;

namespace RestMan.Billing.Infrastructure;

/// <summary>The SQL over a bill's lines and the parts it is split into.</summary>
public sealed class SplitRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Adds the order's lines to its bill; a line already there (a redelivered event) stays as it is.</summary>
    public async Task AddLinesAsync(UnitOfWork tx, Guid orderId, IEnumerable<BillLine> lines, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        foreach (var line in lines)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO billing.bill_lines (bill_id, line_no, food_id, food_name, quantity, line_total, removed, unit_price, options, note)
                SELECT id, $2, $3, $4, $5, $6, $7, $8, $9::JSONB, $10 FROM billing.bills WHERE order_id = $1
                ON CONFLICT (bill_id, line_no) DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = orderId });
            command.Parameters.Add(new NpgsqlParameter { Value = line.LineNo });
            command.Parameters.Add(new NpgsqlParameter { Value = line.FoodId });
            command.Parameters.Add(new NpgsqlParameter { Value = line.FoodName });
            command.Parameters.Add(new NpgsqlParameter { Value = line.Quantity });
            command.Parameters.Add(new NpgsqlParameter { Value = line.LineTotal });
            command.Parameters.Add(new NpgsqlParameter { Value = line.Removed });
            command.Parameters.Add(new NpgsqlParameter<decimal?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric, TypedValue = line.UnitPrice });
            command.Parameters.Add(new NpgsqlParameter<string?>
            {
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
                TypedValue = line.Options.Count == 0 ? null : JsonSerializer.Serialize(line.Options, Json.Options),
            });
            command.Parameters.Add(new NpgsqlParameter<string?> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar, TypedValue = line.Note });
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task RemoveLineAsync(UnitOfWork tx, Guid orderId, int lineNo, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE billing.bill_lines SET removed = TRUE
            WHERE bill_id = (SELECT id FROM billing.bills WHERE order_id = @order_id) AND line_no = @line_no
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("line_no", lineNo);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A merged table's lines join the surviving order's bill, numbered on after its own (<paramref name="lineOffset"/>).</summary>
    public async Task CopyLinesAsync(UnitOfWork tx, Guid fromOrderId, Guid intoOrderId, int lineOffset, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO billing.bill_lines (bill_id, line_no, food_id, food_name, quantity, line_total, removed, unit_price, options, note)
            SELECT i.id, l.line_no + @offset, l.food_id, l.food_name, l.quantity, l.line_total, l.removed, l.unit_price, l.options, l.note
            FROM billing.bill_lines l
            JOIN billing.bills f ON f.id = l.bill_id AND f.order_id = @from
            CROSS JOIN billing.bills i
            WHERE i.order_id = @into
            ON CONFLICT (bill_id, line_no) DO NOTHING
            """);
        command.Parameters.AddWithValue("from", fromOrderId);
        command.Parameters.AddWithValue("into", intoOrderId);
        command.Parameters.AddWithValue("offset", lineOffset);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<BillLine>> LinesAsync(Guid billId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT line_no, food_id, food_name, quantity, line_total, removed, unit_price, options::TEXT, note
            FROM billing.bill_lines WHERE bill_id = @bill_id ORDER BY line_no
            """);
        command.Parameters.AddWithValue("bill_id", billId);
        var lines = new List<BillLine>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            lines.Add(new BillLine(reader.GetInt32(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetDecimal(4), reader.GetBoolean(5))
            {
                UnitPrice = reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                Options = reader.IsDBNull(7) ? [] : JsonSerializer.Deserialize<List<BillLineOption>>(reader.GetString(7), Json.Options) ?? [],
                Note = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        return lines;
    }

    /// <summary>Replaces the bill's parts.</summary>
    public async Task ReplacePartsAsync(UnitOfWork tx, Guid billId, IReadOnlyList<BillPart> parts, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var delete = new NpgsqlBatchCommand("DELETE FROM billing.bill_parts WHERE bill_id = $1");
        delete.Parameters.Add(new NpgsqlParameter { Value = billId });
        batch.BatchCommands.Add(delete);
        foreach (var part in parts)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO billing.bill_parts (bill_id, part_no, amount, line_nos) VALUES ($1, $2, $3, $4)");
            insert.Parameters.Add(new NpgsqlParameter { Value = billId });
            insert.Parameters.Add(new NpgsqlParameter { Value = part.PartNo });
            insert.Parameters.Add(new NpgsqlParameter { Value = part.Amount });
            insert.Parameters.Add(new NpgsqlParameter<int[]?>() { TypedValue = part.LineNos?.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer });
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<BillPart>> PartsAsync(Guid billId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT part_no, amount, line_nos FROM billing.bill_parts WHERE bill_id = @bill_id ORDER BY part_no");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadPartsAsync(command, ct);
    }

    public async Task<IReadOnlyList<BillPart>> PartsAsync(UnitOfWork tx, Guid billId, CancellationToken ct)
    {
        await using var command = tx.Command("SELECT part_no, amount, line_nos FROM billing.bill_parts WHERE bill_id = @bill_id ORDER BY part_no");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadPartsAsync(command, ct);
    }

    private static async Task<IReadOnlyList<BillPart>> ReadPartsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var parts = new List<BillPart>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            parts.Add(new BillPart(reader.GetInt32(0), reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<int[]>(2)));
        return parts;
    }
}
