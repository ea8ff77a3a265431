using Npgsql;

namespace RestMan.Messaging;

/// <summary>The SQL of one schema's inbox: the ids of the events whose effects this service has committed.</summary>
internal sealed class InboxStore(string schema)
{
    private readonly string _table = $"{MessagingSchema.Validate(schema)}.inbox";

    /// <summary>Records the event in the caller's transaction; false when it was already recorded (a redelivery).</summary>
    public async Task<bool> TryRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EventEnvelope envelope, string topic, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {_table} (event_id, event_type, topic, received_at)
            VALUES (@event_id, @event_type, @topic, @received_at)
            ON CONFLICT (event_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("event_id", envelope.EventId);
        command.Parameters.AddWithValue("event_type", envelope.EventType);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.AddWithValue("received_at", receivedAt);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
