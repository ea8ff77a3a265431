using System.Text.Json;

namespace RestMan.Messaging;

/// <summary>
/// What travels on a topic: <c>{event_type, event_id, timestamp, data, source, version}</c> (the producing service and
/// the payload's schema version let a consumer tell producers and formats apart).
/// </summary>
public sealed record EventEnvelope(
    string EventType,
    Guid EventId,
    DateTimeOffset Timestamp,
    JsonElement Data,
    string Source,
    int Version)
{
    /// <summary>The payload as its typed record.</summary>
    public TEvent DataAs<TEvent>() where TEvent : IIntegrationEvent =>
        Data.Deserialize<TEvent>(MessagingJson.Options)
        ?? throw new JsonException($"Event {EventId} ({EventType}) has no data.");

    public string ToJson() => JsonSerializer.Serialize(this, MessagingJson.Options);

    /// <summary>Reads an envelope; envelopes without source or version (older producers) are accepted.</summary>
    /// <exception cref="JsonException">The text is not an envelope.</exception>
    public static EventEnvelope Parse(string json)
    {
        var envelope = JsonSerializer.Deserialize<EventEnvelope>(json, MessagingJson.Options)
            ?? throw new JsonException("The message is JSON null, not an event envelope.");

        if (string.IsNullOrWhiteSpace(envelope.EventType))
            throw new JsonException("The event envelope has no event_type.");
        if (envelope.EventId == Guid.Empty)
            throw new JsonException("The event envelope has no event_id.");
        if (envelope.Data.ValueKind != JsonValueKind.Object)
            throw new JsonException("The event envelope's data is not a JSON object.");

        return envelope with { Source = envelope.Source ?? "", Version = envelope.Version == 0 ? 1 : envelope.Version };
    }
}
