using Npgsql;
using RestMan.Billing.Model;
using RestMan.Data;

namespace RestMan.Billing.Infrastructure;

/// <summary>The SQL over <c>billing.payments</c>. Methods taking a transaction run inside the caller's (retried) one.</summary>
public sealed class PaymentRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, bill_id, order_id, restaurant_id, amount, tip, method, status, provider_reference, failure_reason, idempotency_key, " +
        "fingerprint, capture_key, capture_requested_at, taken_by, created_at, updated_at, captured_at, part_no";

    public async Task InsertAsync(UnitOfWork tx, Payment p, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO billing.payments ({Columns})
            VALUES (@id, @bill_id, @order_id, @restaurant_id, @amount, @tip, @method, @status, @provider_reference, NULL,
                    @idempotency_key, @fingerprint, NULL, NULL, @taken_by, @at, @at, @captured_at, @part_no)
            """);
        command.Parameters.AddWithValue("id", p.Id);
        command.Parameters.AddWithValue("bill_id", p.BillId);
        command.Parameters.AddWithValue("order_id", p.OrderId);
        command.Parameters.AddWithValue("restaurant_id", p.RestaurantId);
        command.Parameters.AddWithValue("amount", p.Amount);
        command.Parameters.AddWithValue("tip", p.Tip);
        command.Parameters.AddWithValue("method", p.Method);
        command.Parameters.AddWithValue("status", p.Status);
        command.Parameters.Add(Text("provider_reference", p.ProviderReference));
        command.Parameters.Add(Text("idempotency_key", p.IdempotencyKey));
        command.Parameters.Add(Text("fingerprint", p.Fingerprint));
        command.Parameters.Add(new NpgsqlParameter<Guid?>("taken_by", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = p.TakenBy });
        command.Parameters.AddWithValue("at", p.CreatedAt);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("captured_at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = p.CapturedAt });
        command.Parameters.Add(new NpgsqlParameter<int?>("part_no", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = p.PartNo });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Payment?> FindByKeyAsync(UnitOfWork tx, Guid billId, string key, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.payments WHERE bill_id = @bill_id AND idempotency_key = @key");
        command.Parameters.AddWithValue("bill_id", billId);
        command.Parameters.AddWithValue("key", key);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<Payment?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.payments WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<Payment?> FindByReferenceAsync(string providerReference, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.payments WHERE provider_reference = @reference");
        command.Parameters.AddWithValue("reference", providerReference);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>The payment, locked until the transaction ends (lock its bill first: bill, then payment, always).</summary>
    public async Task<Payment?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.payments WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>A bill's payments, oldest first.</summary>
    public async Task<IReadOnlyList<Payment>> ListByBillAsync(Guid billId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.payments WHERE bill_id = @bill_id ORDER BY created_at, id");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadManyAsync(command, ct);
    }

    public async Task<IReadOnlyList<Payment>> ListByBillAsync(UnitOfWork tx, Guid billId, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.payments WHERE bill_id = @bill_id ORDER BY created_at, id");
        command.Parameters.AddWithValue("bill_id", billId);
        return await ReadManyAsync(command, ct);
    }

    /// <summary>Payments still waiting on the provider, last touched before <paramref name="before"/>: the reconciler's work.</summary>
    public async Task<IReadOnlyList<Payment>> ListUnsettledAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM billing.payments
            WHERE (status = 'pending' OR (status = 'authorized' AND capture_requested_at IS NOT NULL))
              AND provider_reference IS NOT NULL AND updated_at < @before
            ORDER BY updated_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadManyAsync(command, ct);
    }

    public async Task SetStatusAsync(UnitOfWork tx, Guid id, string status, string? failureReason, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE billing.payments SET status = @status, failure_reason = @reason, updated_at = @at,
                   captured_at = CASE WHEN @status = 'captured' THEN @at ELSE captured_at END
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(Text("reason", failureReason));
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Claims the capture of an authorized payment for the request carrying <paramref name="key"/> (null without one).</summary>
    public async Task RequestCaptureAsync(UnitOfWork tx, Guid id, string? key, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE billing.payments SET capture_key = @key, capture_requested_at = @at, updated_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(Text("key", key));
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter<string?> Text(string name, string? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = value };

    private static async Task<IReadOnlyList<Payment>> ReadManyAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var payments = new List<Payment>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) payments.Add(Read(reader));
        return payments;
    }

    private static async Task<Payment?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static Payment Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetGuid(3), r.GetDecimal(4), r.GetDecimal(5), r.GetString(6), r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13),
        r.IsDBNull(14) ? null : r.GetGuid(14),
        r.GetFieldValue<DateTimeOffset>(15),
        r.GetFieldValue<DateTimeOffset>(16),
        r.IsDBNull(17) ? null : r.GetFieldValue<DateTimeOffset>(17),
        r.IsDBNull(18) ? null : r.GetInt32(18));
}
