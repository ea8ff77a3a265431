using Npgsql;
using NpgsqlTypes;

namespace RestMan.Billing.Infrastructure;

/// <summary>A receipt email asked for: where to, how many tries so far, whether it went (or was given up).</summary>
public sealed record ReceiptEmail(
    Guid Id, Guid BillId, string Email, string? IdempotencyKey, string? Fingerprint, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AbandonedAt)
{
    public string Status => SentAt is not null ? "sent" : AbandonedAt is not null ? "failed" : "queued";
}

/// <summary>The SQL over <c>billing.receipt_emails</c>: queued by the API, claimed, sent or retried by the sender.</summary>
public sealed class ReceiptEmailRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, bill_id, email, idempotency_key, fingerprint, attempts, last_error, created_at, sent_at, abandoned_at";

    /// <summary>
    /// Queues the email; with an Idempotency-Key already used on this bill, nothing is queued and the first request's row
    /// comes back (the caller compares fingerprints).
    /// </summary>
    public async Task<(ReceiptEmail Email, bool Queued)> QueueAsync(
        Guid billId, string email, string? key, string? fingerprint, Guid? requestedBy, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using (var insert = dataSource.CreateCommand(
            $"""
            INSERT INTO billing.receipt_emails (id, bill_id, email, idempotency_key, fingerprint, requested_by, next_attempt_at, created_at)
            VALUES (@id, @bill_id, @email, @key, @fingerprint, @by, @now, @now)
            ON CONFLICT (bill_id, idempotency_key) DO NOTHING
            """))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("bill_id", billId);
            insert.Parameters.AddWithValue("email", email);
            insert.Parameters.Add(new NpgsqlParameter<string?>("key", NpgsqlDbType.Varchar) { TypedValue = key });
            insert.Parameters.Add(new NpgsqlParameter<string?>("fingerprint", NpgsqlDbType.Varchar) { TypedValue = fingerprint });
            insert.Parameters.Add(new NpgsqlParameter<Guid?>("by", NpgsqlDbType.Uuid) { TypedValue = requestedBy });
            insert.Parameters.AddWithValue("now", now);
            if (await insert.ExecuteNonQueryAsync(ct) == 1) return ((await FindAsync(id, ct))!, true);
        }
        await using var select = dataSource.CreateCommand($"SELECT {Columns} FROM billing.receipt_emails WHERE bill_id = @bill_id AND idempotency_key = @key");
        select.Parameters.AddWithValue("bill_id", billId);
        select.Parameters.AddWithValue("key", key!);
        return ((await ReadAsync(select, ct)).Single(), false);
    }

    public async Task<ReceiptEmail?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.receipt_emails WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> due emails for this instance until <paramref name="leaseUntil"/>: another
    /// instance sees them again only if this one neither sent nor rescheduled them by then.
    /// </summary>
    public async Task<IReadOnlyList<ReceiptEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE billing.receipt_emails SET attempts = attempts + 1, next_attempt_at = @lease_until
            WHERE id IN (
                SELECT id FROM billing.receipt_emails
                WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                ORDER BY next_attempt_at LIMIT @limit)
              AND sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("lease_until", leaseUntil);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, ct);
    }

    public async Task MarkSentAsync(Guid id, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE billing.receipt_emails SET sent_at = @at, last_error = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Tries again at <paramref name="retryAt"/>, or never (abandoned) when it is null.</summary>
    public async Task MarkFailedAsync(Guid id, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE billing.receipt_emails
            SET last_error = @error, next_attempt_at = COALESCE(@retry_at, next_attempt_at),
                abandoned_at = CASE WHEN @retry_at IS NULL THEN @now END
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("error", error.Length > 500 ? error[..500] : error);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("retry_at", NpgsqlDbType.TimestampTz) { TypedValue = retryAt });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<ReceiptEmail>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<ReceiptEmail>();
        while (await reader.ReadAsync(ct))
            rows.Add(new ReceiptEmail(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        return rows;
    }
}
