using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using RestMan.Messaging;

namespace RestMan.Analytics.Ingestion;

/// <summary>
/// Spans and counters of ingestion (source and meter "RestMan.Analytics", picked up by the ServiceDefaults). Consumer lag,
/// offset resets and dead letters are counted by RestMan.Messaging's meter, as for every consumer group.
/// </summary>
public sealed class IngestionTelemetry
{
    public const string Name = "RestMan.Analytics";

    private static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _ignored;
    private readonly Counter<long> _unusable;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<long> _batchSize;

    public IngestionTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _ingested = meter.CreateCounter<long>("restman.analytics.events_ingested", "{event}", "Events written to ClickHouse and committed.");
        _ignored = meter.CreateCounter<long>("restman.analytics.events_ignored", "{event}", "Events analytics has no use for (other types, kitchen statuses).");
        _unusable = meter.CreateCounter<long>("restman.analytics.events_unusable", "{event}", "Messages moved to the dead-letter topic because they could not be read as a usable event.");
        _writeFailures = meter.CreateCounter<long>("restman.analytics.batch_write_failures", "{attempt}", "Batch writes ClickHouse refused or did not answer.");
        _batchSize = meter.CreateHistogram<long>("restman.analytics.batch_size", "{message}", "Messages per batch written to ClickHouse.");
    }

    /// <summary>One span per batch write, linked to the trace of every message in it (a batch has many parents).</summary>
    public static Activity? StartBatchWrite(IReadOnlyCollection<ActivityContext> messageTraces, int messageCount)
    {
        var links = messageTraces.Select(context => new ActivityLink(context));
        var activity = ActivitySource.StartActivity(ActivityKind.Consumer, links: links, name: "ingest batch");
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.batch.message_count", messageCount);
        return activity;
    }

    /// <summary>One span per message as it joins a batch, in the producer's trace (the batch write is its own, linked span).</summary>
    public static Activity? StartReceive(ConsumeResult<string, string> result, string consumerGroup)
    {
        var activity = ActivitySource.StartActivity($"receive {result.Topic}", ActivityKind.Consumer, TraceOf(result.Message) ?? default);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "receive");
        activity?.SetTag("messaging.operation.name", "receive");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        return activity;
    }

    /// <summary>The producer's trace context carried in the message's traceparent header, when there is one.</summary>
    public static ActivityContext? TraceOf(Message<string, string> message) =>
        message.Headers is { } headers
        && headers.TryGetLastBytes(MessagingTelemetry.TraceParentHeader, out var bytes)
        && ActivityContext.TryParse(Encoding.UTF8.GetString(bytes), null, out var context)
            ? context
            : null;

    public void Written(IngestionBatch batch)
    {
        _batchSize.Record(batch.MessageCount);
        _ingested.Add(batch.EventCount);
    }

    public void Ignored(string eventType) => _ignored.Add(1, new KeyValuePair<string, object?>("restman.event_type", eventType));
    public void Unusable(string topic) => _unusable.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", topic));
    public void WriteFailed() => _writeFailures.Add(1);
}
