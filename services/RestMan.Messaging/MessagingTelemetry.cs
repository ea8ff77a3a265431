using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;

namespace RestMan.Messaging;

/// <summary>Traces and metrics of RestMan.Messaging; the ServiceDefaults listen to every "RestMan.*" source and meter.</summary>
public static class MessagingTelemetry
{
    public const string Name = "RestMan.Messaging";
    public const string TraceParentHeader = "traceparent";

    internal static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>Starts the span of one publish; its parent is the stored context of the code that wrote the event.</summary>
    internal static Activity? StartPublish(string topic, string key, string eventType, Guid eventId, string? parentTraceParent)
    {
        ActivityContext.TryParse(parentTraceParent, null, out var parent);
        // Semantic conventions 1.27+: a Kafka produce is a "send" ("publish" is deprecated).
        var activity = ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "send");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.kafka.message.key", key);
        activity?.SetTag("messaging.message.id", eventId.ToString());
        activity?.SetTag("restman.event_type", eventType);
        return activity;
    }

    /// <summary>Starts the span of handling one message, continuing the trace carried in its traceparent header.</summary>
    internal static Activity? StartProcess(ConsumeResult<string, string> result, string consumerGroup)
    {
        ActivityContext.TryParse(ReadHeader(result.Message.Headers, TraceParentHeader), null, out var parent);
        var activity = ActivitySource.StartActivity($"process {result.Topic}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.operation.name", "process");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        return activity;
    }

    internal static string? ReadHeader(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The current W3C trace context, or null when there is none to carry.</summary>
    internal static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}

/// <summary>The counters and gauges of one host's messaging (meter "RestMan.Messaging").</summary>
internal sealed class MessagingMetrics
{
    private readonly ConcurrentDictionary<(string Group, string Topic, int Partition), long> _lag = new();
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _ignored;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _offsetResets;
    private readonly Counter<long> _producersReplaced;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MessagingTelemetry.Name);
        _published = meter.CreateCounter<long>("restman.outbox.published", "{message}", "Outbox rows published to Kafka.");
        _publishFailures = meter.CreateCounter<long>("restman.outbox.publish_failures", "{message}", "Outbox publishes Kafka did not acknowledge.");
        _handled = meter.CreateCounter<long>("restman.kafka.consumer.handled", "{message}", "Events handled and committed.");
        _duplicates = meter.CreateCounter<long>("restman.kafka.consumer.duplicates", "{message}", "Redelivered events skipped by the inbox.");
        _ignored = meter.CreateCounter<long>("restman.kafka.consumer.ignored", "{message}", "Events of types this consumer has no handler for.");
        _deadLettered = meter.CreateCounter<long>("restman.kafka.consumer.dead_lettered", "{message}", "Messages moved to a dead-letter topic.");
        _offsetResets = meter.CreateCounter<long>("restman.kafka.consumer.offset_resets", "{reset}",
            "Offsets reset because the broker no longer had them: the messages in between were never consumed.");
        _producersReplaced = meter.CreateCounter<long>("restman.kafka.producer.replaced", "{producer}",
            "Producers replaced after a fatal error or after delivering nothing for two message timeouts.");
        meter.CreateObservableGauge("restman.kafka.consumer.lag", ObserveLag, "{message}",
            "Messages on a partition not yet handled by this consumer group.");
    }

    public void Published(string topic) => _published.Add(1, Tag("messaging.destination.name", topic));
    public void PublishFailed(string topic) => _publishFailures.Add(1, Tag("messaging.destination.name", topic));
    public void Handled(string topic, string eventType) => _handled.Add(1, Tag("messaging.destination.name", topic), Tag("restman.event_type", eventType));
    public void Duplicate(string topic, string eventType) => _duplicates.Add(1, Tag("messaging.destination.name", topic), Tag("restman.event_type", eventType));
    public void Ignored(string topic, string eventType) => _ignored.Add(1, Tag("messaging.destination.name", topic), Tag("restman.event_type", eventType));
    public void DeadLettered(string topic) => _deadLettered.Add(1, Tag("messaging.destination.name", topic));
    public void OffsetReset(string group) => _offsetResets.Add(1, Tag("messaging.consumer.group.name", group));
    public void ProducerReplaced() => _producersReplaced.Add(1);

    public void RecordLag(string group, TopicPartition partition, long lag) =>
        _lag[(group, partition.Topic, partition.Partition.Value)] = Math.Max(0, lag);

    public void ForgetLag(string group, TopicPartition partition) =>
        _lag.TryRemove((group, partition.Topic, partition.Partition.Value), out _);

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(entry => new Measurement<long>(entry.Value,
            Tag("messaging.consumer.group.name", entry.Key.Group),
            Tag("messaging.destination.name", entry.Key.Topic),
            Tag("messaging.destination.partition.id", entry.Key.Partition.ToString())));

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
