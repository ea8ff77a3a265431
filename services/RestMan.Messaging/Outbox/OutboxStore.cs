using Npgsql;
using NpgsqlTypes;
using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>The SQL of one schema's outbox table.</summary>
internal sealed class OutboxStore(string schema)
{
    private readonly string _table = $"{MessagingSchema.Validate(schema)}.outbox";
    private readonly string _streams = $"{schema}.outbox_streams";

    public string Schema { get; } = schema;

    /// <summary>Appends an event to its (topic, key) stream: the command runs in the caller's transaction and batch.</summary>
    public NpgsqlBatchCommand AddCommand(OutboxRow row)
    {
        var command = new NpgsqlBatchCommand(
            $"""
            WITH stream AS (
                INSERT INTO {_streams} AS s (topic, message_key, last_seq, updated_at)
                VALUES (@topic, @message_key, 1, @created_at)
                ON CONFLICT (topic, message_key) DO UPDATE SET last_seq = s.last_seq + 1, updated_at = excluded.updated_at
                RETURNING last_seq)
            INSERT INTO {_table}
                (event_id, event_type, event_version, topic, message_key, key_seq, payload, source, trace_parent, created_at)
            SELECT @event_id, @event_type, @event_version, @topic, @message_key, stream.last_seq,
                   @payload, @source, @trace_parent, @created_at
            FROM stream
            """);
        command.Parameters.AddWithValue("event_id", row.EventId);
        command.Parameters.AddWithValue("event_type", row.EventType);
        command.Parameters.AddWithValue("event_version", row.EventVersion);
        command.Parameters.AddWithValue("topic", row.Topic);
        command.Parameters.AddWithValue("message_key", row.Key);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = row.Payload });
        command.Parameters.AddWithValue("source", row.Source);
        command.Parameters.Add(new NpgsqlParameter("trace_parent", NpgsqlDbType.Text) { Value = (object?)row.TraceParent ?? DBNull.Value });
        command.Parameters.AddWithValue("created_at", row.CreatedAt);
        return command;
    }

    /// <summary>
    /// Marks <paramref name="sent"/> as sent and, in the same round trip, reads the unsent rows of the oldest
    /// <paramref name="maxStreams"/> streams, each stream in key_seq order. The row limit cuts the last stream after a
    /// prefix, never in its middle, so no stream is published out of order.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> MarkSentAndLoadPendingAsync(
        NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> sent, DateTimeOffset sentAt, int maxStreams, int maxRows, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        if (sent.Count > 0) batch.BatchCommands.Add(MarkSent(sent, sentAt));
        var load = new NpgsqlBatchCommand(
            $"""
            SELECT event_id, event_type, event_version, topic, message_key, key_seq, payload::TEXT, source, trace_parent, created_at
            FROM {_table}
            WHERE sent_at IS NULL
              AND (topic, message_key) IN (
                  SELECT topic, message_key FROM {_table}
                  WHERE sent_at IS NULL
                  GROUP BY topic, message_key
                  ORDER BY MIN(created_at)
                  LIMIT @max_streams)
            ORDER BY topic, message_key, key_seq
            LIMIT @max_rows
            """);
        load.Parameters.AddWithValue("max_streams", maxStreams);
        load.Parameters.AddWithValue("max_rows", maxRows);
        batch.BatchCommands.Add(load);

        var rows = new List<OutboxRow>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new OutboxRow(
                EventId: reader.GetGuid(0),
                EventType: reader.GetString(1),
                EventVersion: reader.GetInt32(2),
                Topic: reader.GetString(3),
                Key: reader.GetString(4),
                KeySeq: reader.GetInt64(5),
                Payload: reader.GetString(6),
                Source: reader.GetString(7),
                TraceParent: reader.IsDBNull(8) ? null : reader.GetString(8),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return rows;
    }

    /// <summary>How many rows wait to be published, and since when the oldest has (null when none waits).</summary>
    public async Task<(long Unsent, DateTimeOffset? Oldest)> PendingAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*), min(created_at) FROM {_table} WHERE sent_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task MarkSentAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> eventIds, DateTimeOffset sentAt, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(MarkSent(eventIds, sentAt));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlBatchCommand MarkSent(IReadOnlyCollection<Guid> eventIds, DateTimeOffset sentAt)
    {
        var command = new NpgsqlBatchCommand($"UPDATE {_table} SET sent_at = @sent_at WHERE event_id = ANY(@event_ids) AND sent_at IS NULL");
        command.Parameters.AddWithValue("sent_at", sentAt);
        command.Parameters.AddWithValue("event_ids", eventIds.ToArray());
        return command;
    }

    /// <summary>
    /// Deletes the rows sent before <paramref name="before"/>, <paramref name="batchSize"/> at a time, and the counters of
    /// streams idle since then with no row left at all; returns how many outbox rows went.
    /// </summary>
    public async Task<int> DeleteSentAsync(NpgsqlDataSource dataSource, DateTimeOffset before, int batchSize, CancellationToken ct)
    {
        // Sent rows always precede their stream's unsent ones, so deleting them never reorders a stream.
        int deleted, total = 0;
        do
        {
            await using var rows = dataSource.CreateCommand(
                $"DELETE FROM {_table} WHERE event_id IN (SELECT event_id FROM {_table} WHERE sent_at < @before LIMIT @limit)");
            rows.Parameters.AddWithValue("before", before);
            rows.Parameters.AddWithValue("limit", batchSize);
            deleted = await rows.ExecuteNonQueryAsync(ct);
            total += deleted;
        }
        while (deleted == batchSize); // a full batch may have left more behind

        // A forgotten stream restarts at key_seq 1, which is safe only with no row of it left, sent or not (the unique
        // stream index). SERIALIZABLE makes that check hold against a writer numbering the stream at this very moment.
        await dataSource.InTransactionAsync(async (connection, transaction, token) =>
        {
            await using var streams = new NpgsqlCommand(
                $"""
                DELETE FROM {_streams}
                WHERE (topic, message_key) IN (
                    SELECT s.topic, s.message_key FROM {_streams} AS s
                    WHERE s.updated_at < @before
                      AND NOT EXISTS (SELECT 1 FROM {_table} AS o WHERE o.topic = s.topic AND o.message_key = s.message_key)
                    LIMIT @limit)
                """, connection, transaction);
            streams.Parameters.AddWithValue("before", before);
            streams.Parameters.AddWithValue("limit", batchSize);
            await streams.ExecuteNonQueryAsync(token);
        }, ct);
        return total;
    }
}
