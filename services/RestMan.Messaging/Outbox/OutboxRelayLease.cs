using Npgsql;

namespace RestMan.Messaging;

/// <summary>
/// Makes one relay instance per schema the publisher: two publishing the same stream at once could interleave it.
/// A row with an expiry, taken over only once it lapsed. Expiry uses the database's clock, which all instances share.
/// The holder renews it at the start of a round; when Kafka is down, a round ends within about one producer message
/// timeout (each stream stops at its first failed publish), so the lease outlasts it and no second relay publishes meanwhile.
/// </summary>
internal sealed class OutboxRelayLease(NpgsqlDataSource dataSource, string schema, TimeSpan duration, TimeProvider timeProvider)
{
    private const string LeaseName = "relay";

    /// <summary>
    /// Three message timeouts: a round starts at most a third in (when the lease is renewed) and then publishes for up
    /// to one timeout, which leaves a whole timeout of margin before a second relay may take over. A crashed holder is
    /// replaced after this; a stopped one hands over at once.
    /// </summary>
    public static TimeSpan DurationFor(TimeSpan producerMessageTimeout) => 3 * producerMessageTimeout;

    private readonly string _table = $"{MessagingSchema.Validate(schema)}.outbox_relay_lease";
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private long _acquiredAt;
    private bool _held;

    /// <summary>True while this instance holds the lease; renews it once a third of it has passed.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken ct)
    {
        if (_held && timeProvider.GetElapsedTime(_acquiredAt) < duration / 3) return true;

        var attemptedAt = timeProvider.GetTimestamp();
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO {_table} AS lease (name, holder, expires_at)
            VALUES (@name, @holder, now() + @duration)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE lease.holder = excluded.holder OR lease.expires_at < now()
            RETURNING holder
            """);
        command.Parameters.AddWithValue("name", LeaseName);
        command.Parameters.AddWithValue("holder", _holder);
        command.Parameters.AddWithValue("duration", duration);
        _held = await command.ExecuteScalarAsync(ct) is string;
        _acquiredAt = attemptedAt;
        return _held;
    }

    /// <summary>Gives the lease up, so another instance takes over now rather than after it lapses.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (!_held) return;
        _held = false;
        await using var command = dataSource.CreateCommand($"DELETE FROM {_table} WHERE name = @name AND holder = @holder");
        command.Parameters.AddWithValue("name", LeaseName);
        command.Parameters.AddWithValue("holder", _holder);
        await command.ExecuteNonQueryAsync(ct);
    }
}
