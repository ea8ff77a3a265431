using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>The SQL of one schema's inbox: the ids of the events whose effects this service has committed.</summary>
internal sealed class InboxStore(string schema)
{
    private readonly string _table = $"{MessagingSchema.Validate(schema)}.inbox";

    /// <summary>
    /// Records the events in the caller's transaction with one statement; returns the ids recorded now, so without
    /// those recorded before (redeliveries). An id twice in <paramref name="events"/> is recorded once.
    /// </summary>
    public async Task<HashSet<Guid>> TryRecordAllAsync(
        UnitOfWork tx, IReadOnlyList<(EventEnvelope Envelope, string Topic)> events, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO {_table} (event_id, event_type, topic, received_at)
            SELECT e.event_id, e.event_type, e.topic, @received_at
            FROM unnest(@event_ids, @event_types, @topics) AS e (event_id, event_type, topic)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
            """);
        command.Parameters.AddWithValue("event_ids", events.Select(e => e.Envelope.EventId).ToArray());
        command.Parameters.AddWithValue("event_types", events.Select(e => e.Envelope.EventType).ToArray());
        command.Parameters.AddWithValue("topics", events.Select(e => e.Topic).ToArray());
        command.Parameters.AddWithValue("received_at", tx.Clock.GetUtcNow());
        var recorded = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) recorded.Add(reader.GetGuid(0));
        return recorded;
    }
}
