using Npgsql;

namespace RestMan.Orders.Infrastructure;

/// <summary>A table of owed emails (<c>ready_emails</c>, <c>reservation_emails</c>): its name and the column keying a row.</summary>
public sealed record OwedEmailTable(string Name, string KeyColumn);

/// <summary>The bookkeeping every owed-email table shares: sent, or failed and retried later (or abandoned).</summary>
public static class OwedEmailRows
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> due emails for this instance until <paramref name="leaseUntil"/>: another
    /// instance only sees them again if this one neither sent nor rescheduled them by then. Each row is read as
    /// (key, user_id, attempts, email, then <paramref name="subjectColumns"/> of <paramref name="subjectTable"/> <c>s</c>,
    /// joined on its id).
    /// </summary>
    public static async Task<IReadOnlyList<T>> ClaimDueAsync<T>(
        NpgsqlDataSource dataSource, OwedEmailTable table, string subjectTable, string subjectColumns,
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH claimed AS (
                UPDATE {table.Name} SET attempts = attempts + 1, next_attempt_at = @lease_until
                WHERE {table.KeyColumn} IN (
                    SELECT {table.KeyColumn} FROM {table.Name}
                    WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                    ORDER BY next_attempt_at LIMIT @limit)
                  AND sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                RETURNING {table.KeyColumn}, user_id, attempts)
            SELECT c.{table.KeyColumn}, c.user_id, c.attempts, cc.email, {subjectColumns}
            FROM claimed c
            JOIN {subjectTable} s ON s.id = c.{table.KeyColumn}
            LEFT JOIN orders.customer_contacts cc ON cc.user_id = c.user_id
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("lease_until", leaseUntil);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<T>();
        while (await reader.ReadAsync(ct)) due.Add(read(reader));
        return due;
    }

    public static async Task MarkSentAsync(NpgsqlDataSource dataSource, OwedEmailTable table, Guid key, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"UPDATE {table.Name} SET sent_at = @at, last_error = NULL WHERE {table.KeyColumn} = @key");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Tries again at <paramref name="retryAt"/>, or never (abandoned) when it is null.</summary>
    public static async Task MarkFailedAsync(
        NpgsqlDataSource dataSource, OwedEmailTable table, Guid key, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE {table.Name}
            SET last_error = @error, next_attempt_at = COALESCE(@retry_at, next_attempt_at),
                abandoned_at = CASE WHEN @retry_at IS NULL THEN @now END
            WHERE {table.KeyColumn} = @key
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("error", error.Length > 500 ? error[..500] : error);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("retry_at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = retryAt });
        await command.ExecuteNonQueryAsync(ct);
    }
}
