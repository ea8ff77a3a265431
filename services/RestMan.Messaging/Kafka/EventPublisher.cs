using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace RestMan.Messaging;

/// <summary>One message to publish: an envelope already serialized, its key, and the trace it belongs to.</summary>
internal sealed record OutgoingMessage(
    string Topic,
    string Key,
    string Value,
    string EventType,
    Guid EventId,
    string? TraceParent,
    IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders = null);

/// <summary>Publishes with a producer span and the W3C <c>traceparent</c> header, so consumers continue the trace.</summary>
internal sealed class EventPublisher(KafkaProducer producer)
{
    public const string EventTypeHeader = "event_type";

    public async Task PublishAsync(OutgoingMessage outgoing, CancellationToken ct)
    {
        using var activity = MessagingTelemetry.StartPublish(
            outgoing.Topic, outgoing.Key, outgoing.EventType, outgoing.EventId, outgoing.TraceParent);

        var headers = new Headers();
        // Without a listener there is no span: pass the writer's own context through unchanged.
        var traceParent = activity?.Id ?? outgoing.TraceParent;
        if (traceParent is not null) headers.Add(MessagingTelemetry.TraceParentHeader, Encoding.UTF8.GetBytes(traceParent));
        headers.Add(EventTypeHeader, Encoding.UTF8.GetBytes(outgoing.EventType));
        foreach (var (name, value) in outgoing.ExtraHeaders ?? [])
            headers.Add(name, Encoding.UTF8.GetBytes(value));

        try
        {
            var delivery = await producer.ProduceAsync(
                outgoing.Topic, new Message<string, string> { Key = outgoing.Key, Value = outgoing.Value, Headers = headers }, ct);
            activity?.SetTag("messaging.destination.partition.id", delivery.Partition.Value.ToString());
            activity?.SetTag("messaging.kafka.offset", delivery.Offset.Value);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }
}
