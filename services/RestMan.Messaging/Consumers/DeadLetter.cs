using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace RestMan.Messaging;

/// <summary>
/// The body of a message on <c>&lt;topic&gt;.dlq</c>: the original message (as JSON when it was JSON, else as text)
/// with where it came from and why it could not be handled.
/// </summary>
public sealed record DeadLetter(
    string ConsumerGroup,
    string SourceTopic,
    int SourcePartition,
    long SourceOffset,
    int Attempts,
    string ErrorType,
    string Error,
    DateTimeOffset FailedAt,
    JsonElement? Message,
    string? RawMessage)
{
    public const string ErrorHeader = "dlq_error";
    public const string ErrorTypeHeader = "dlq_error_type";
    public const string SourceTopicHeader = "dlq_source_topic";
    public const string SourcePartitionHeader = "dlq_source_partition";
    public const string SourceOffsetHeader = "dlq_source_offset";
    public const string ConsumerGroupHeader = "dlq_consumer_group";
}

/// <summary>
/// Moves a message that cannot be handled to its topic's dead-letter twin, as a <see cref="DeadLetter"/>. Registered by
/// <c>AddEventConsumer</c> and <c>AddKafkaConsumerFactory</c>.
/// </summary>
public sealed class DeadLetterPublisher
{
    // Headers stay small; the body carries the full error.
    private const int MaxHeaderErrorLength = 1000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly EventPublisher _publisher;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeadLetterPublisher> _logger;

    internal DeadLetterPublisher(EventPublisher publisher, MessagingMetrics metrics, TimeProvider timeProvider, ILogger<DeadLetterPublisher> logger)
    {
        _publisher = publisher;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Publishes <paramref name="failed"/> to <c>&lt;its topic&gt;.dlq</c> with <paramref name="error"/>, retrying until
    /// Kafka takes it: skipping the message unrecorded would lose it. Commit its offset only after this returns.
    /// </summary>
    /// <param name="envelope">The message as an envelope, or null when it is not one.</param>
    /// <param name="attempts">How many times handling it was tried.</param>
    public async Task MoveAsync(
        ConsumeResult<string, string> failed, EventEnvelope? envelope, string consumerGroup, Exception error, int attempts, CancellationToken ct)
    {
        var deadLetterTopic = Topics.DeadLetterOf(failed.Topic);
        for (var failures = 0; ; failures++)
        {
            try
            {
                await PublishAsync(failed, envelope, consumerGroup, error, attempts, ct);
                _metrics.DeadLettered(failed.Topic);
                _logger.LogWarning("Moved {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}: {Error}",
                    failed.Topic, failed.Partition.Value, failed.Offset.Value, deadLetterTopic, error.Message);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, failures), MaxRetryDelay.TotalMilliseconds));
                _logger.LogWarning("Could not publish to {DeadLetterTopic}: {Error}; retrying in {Delay}", deadLetterTopic, ex.Message, delay);
                await Task.Delay(delay, _timeProvider, ct);
            }
        }
    }

    private Task PublishAsync(
        ConsumeResult<string, string> failed, EventEnvelope? envelope, string consumerGroup, Exception error, int attempts, CancellationToken ct)
    {
        var value = failed.Message.Value;
        var json = TryParseJson(value);
        var deadLetter = new DeadLetter(
            ConsumerGroup: consumerGroup,
            SourceTopic: failed.Topic,
            SourcePartition: failed.Partition.Value,
            SourceOffset: failed.Offset.Value,
            Attempts: attempts,
            ErrorType: error.GetType().FullName ?? error.GetType().Name,
            Error: error.ToString(),
            FailedAt: _timeProvider.GetUtcNow(),
            Message: json,
            RawMessage: json is null ? value : null);

        var headers = new List<KeyValuePair<string, string>>
        {
            new(DeadLetter.ErrorHeader, Truncate(error.Message)),
            new(DeadLetter.ErrorTypeHeader, deadLetter.ErrorType),
            new(DeadLetter.SourceTopicHeader, failed.Topic),
            new(DeadLetter.SourcePartitionHeader, failed.Partition.Value.ToString()),
            new(DeadLetter.SourceOffsetHeader, failed.Offset.Value.ToString()),
            new(DeadLetter.ConsumerGroupHeader, consumerGroup),
        };

        return _publisher.PublishAsync(new OutgoingMessage(
            Topic: Topics.DeadLetterOf(failed.Topic),
            Key: failed.Message.Key ?? "",
            Value: JsonSerializer.Serialize(deadLetter, MessagingJson.Options),
            EventType: envelope?.EventType ?? MessagingTelemetry.ReadHeader(failed.Message.Headers, EventPublisher.EventTypeHeader) ?? "unknown",
            EventId: envelope?.EventId ?? Guid.Empty,
            TraceParent: MessagingTelemetry.CurrentTraceParent(),
            ExtraHeaders: headers), ct);
    }

    private static JsonElement? TryParseJson(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= MaxHeaderErrorLength ? text : text[..MaxHeaderErrorLength];
}
