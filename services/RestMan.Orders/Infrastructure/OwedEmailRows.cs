using Npgsql;

namespace RestMan.Orders.Infrastructure;

/// <summary>A table of owed emails (<c>ready_emails</c>, <c>reservation_emails</c>): its name and the column keying a row.</summary>
public sealed record OwedEmailTable(string Name, string KeyColumn);

/// <summary>The bookkeeping every owed-email table shares: sent, or failed and retried later (or abandoned).</summary>
public static class OwedEmailRows
{
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
