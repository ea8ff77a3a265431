using System.Text.Json;

namespace RestMan.Messaging;

/// <summary>One event waiting in (or sent from) the outbox; <see cref="KeySeq"/> orders its (topic, key) stream.</summary>
internal sealed record OutboxRow(
    Guid EventId,
    string EventType,
    int EventVersion,
    string Topic,
    string Key,
    long KeySeq,
    string Payload,
    string Source,
    string? TraceParent,
    DateTimeOffset CreatedAt)
{
    public OutgoingMessage ToOutgoingMessage()
    {
        var data = JsonSerializer.Deserialize<JsonElement>(Payload);
        var envelope = new EventEnvelope(EventType, EventId, CreatedAt, data, Source, EventVersion);
        return new OutgoingMessage(Topic, Key, envelope.ToJson(), EventType, EventId, TraceParent);
    }
}
