using Npgsql;
using RestMan.Billing.Model;
using RestMan.Data;

namespace RestMan.Billing.Infrastructure;

/// <summary>The SQL over <c>billing.refunds</c> and <c>billing.refund_payments</c>.</summary>
public sealed class RefundRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, bill_id, order_id, restaurant_id, amount, status, reason, idempotency_key, fingerprint, refunded_by, created_at, updated_at, issued_at";

    public async Task InsertAsync(UnitOfWork tx, Refund r, CancellationToken ct)
    {
        await using (var command = tx.Command(
            $"""
            INSERT INTO billing.refunds ({Columns})
            VALUES (@id, @bill_id, @order_id, @restaurant_id, @amount, @status, @reason, @key, @fingerprint, @by, @at, @at, NULL)
            """))
        {
            command.Parameters.AddWithValue("id", r.Id);
            command.Parameters.AddWithValue("bill_id", r.BillId);
            command.Parameters.AddWithValue("order_id", r.OrderId);
            command.Parameters.AddWithValue("restaurant_id", r.RestaurantId);
            command.Parameters.AddWithValue("amount", r.Amount);
            command.Parameters.AddWithValue("status", r.Status);
            command.Parameters.Add(Text("reason", r.Reason));
            command.Parameters.Add(Text("key", r.IdempotencyKey));
            command.Parameters.Add(Text("fingerprint", r.Fingerprint));
            command.Parameters.Add(new NpgsqlParameter<Guid?>("by", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = r.RefundedBy });
            command.Parameters.AddWithValue("at", r.CreatedAt);
            await command.ExecuteNonQueryAsync(ct);
        }
        foreach (var p in r.Payments)
        {
            await using var command = tx.Command(
                """
                INSERT INTO billing.refund_payments (refund_id, payment_id, method, amount, status, provider_reference, failure_reason)
                VALUES (@refund_id, @payment_id, @method, @amount, @status, @reference, NULL)
                """);
            command.Parameters.AddWithValue("refund_id", r.Id);
            command.Parameters.AddWithValue("payment_id", p.PaymentId);
            command.Parameters.AddWithValue("method", p.Method);
            command.Parameters.AddWithValue("amount", p.Amount);
            command.Parameters.AddWithValue("status", p.Status);
            command.Parameters.Add(Text("reference", p.ProviderReference));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task SetPaymentStatusAsync(UnitOfWork tx, Guid refundId, Guid paymentId, string status, string? reason, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE billing.refund_payments SET status = @status, failure_reason = @reason WHERE refund_id = @refund_id AND payment_id = @payment_id");
        command.Parameters.AddWithValue("refund_id", refundId);
        command.Parameters.AddWithValue("payment_id", paymentId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(Text("reason", reason));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task SetStatusAsync(UnitOfWork tx, Guid id, string status, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE billing.refunds SET status = @status, updated_at = @at,
                   issued_at = CASE WHEN @status = 'issued' THEN @at ELSE issued_at END
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Refund?> FindByKeyAsync(UnitOfWork tx, Guid billId, string key, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.refunds WHERE bill_id = @bill_id AND idempotency_key = @key");
        command.Parameters.AddWithValue("bill_id", billId);
        command.Parameters.AddWithValue("key", key);
        return (await ReadAsync(command, tx.Command, ct)).SingleOrDefault();
    }

    public async Task<Refund?> FindAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.refunds WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, tx.Command, ct)).SingleOrDefault();
    }

    public async Task<Refund?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.refunds WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, dataSource.CreateCommand, ct)).SingleOrDefault();
    }

    /// <summary>A bill's refunds, oldest first, with their payments.</summary>
    public async Task<IReadOnlyList<Refund>> ListByBillAsync(Guid billId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.refunds WHERE bill_id = @bill_id ORDER BY created_at, id");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadAsync(command, dataSource.CreateCommand, ct);
    }

    public async Task<IReadOnlyList<Refund>> ListByBillAsync(UnitOfWork tx, Guid billId, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.refunds WHERE bill_id = @bill_id ORDER BY created_at, id");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadAsync(command, tx.Command, ct);
    }

    /// <summary>Refunds still waiting on the provider, last touched before <paramref name="before"/>: the reconciler's work.</summary>
    public async Task<IReadOnlyList<Guid>> ListPendingAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM billing.refunds WHERE status = 'pending' AND updated_at < @before ORDER BY updated_at LIMIT @limit");
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static NpgsqlParameter<string?> Text(string name, string? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = value };

    // The refunds first, then their payments in a second query (one connection reads one result at a time).
    private static async Task<IReadOnlyList<Refund>> ReadAsync(NpgsqlCommand command, Func<string, NpgsqlCommand> newCommand, CancellationToken ct)
    {
        var refunds = new List<Refund>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                refunds.Add(new Refund(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetDecimal(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetGuid(9),
                    reader.GetFieldValue<DateTimeOffset>(10),
                    reader.GetFieldValue<DateTimeOffset>(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                    []));
        }
        if (refunds.Count == 0) return refunds;

        await using var parts = newCommand(
            """
            SELECT refund_id, payment_id, method, amount, status, provider_reference, failure_reason
            FROM billing.refund_payments WHERE refund_id = ANY(@ids) ORDER BY refund_id, payment_id
            """);
        parts.Parameters.AddWithValue("ids", refunds.Select(r => r.Id).ToArray());
        var byRefund = new Dictionary<Guid, List<RefundPayment>>();
        await using (var reader = await parts.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var refundId = reader.GetGuid(0);
                if (!byRefund.TryGetValue(refundId, out var list)) byRefund[refundId] = list = [];
                list.Add(new RefundPayment(reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }
        return refunds.Select(r => r with { Payments = byRefund.GetValueOrDefault(r.Id) ?? [] }).ToList();
    }
}
