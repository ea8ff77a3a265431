using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RestMan.ClickHouse;
using RestMan.Messaging;

namespace RestMan.Analytics.Ingestion;

/// <summary>
/// The analytics consumer group, a batch dispatcher of the shared <see cref="ConsumeLoop"/>. Messages are mapped into
/// rows and written to ClickHouse in batches (at most <see cref="AnalyticsIngestionOptions.MaxBatchSize"/> messages, at
/// most <see cref="AnalyticsIngestionOptions.FlushInterval"/> old); the loop commits the offsets only after ClickHouse
/// accepted every row of the batch. A batch that cannot be written restarts the consumer from its last committed
/// offsets, and a redelivery rewrites the same rows, so nothing is lost and nothing counts twice. A message that is not a
/// usable event goes to <c>&lt;topic&gt;.dlq</c>.
/// </summary>
public sealed class AnalyticsConsumer(
    EventRowMapper mapper,
    AnalyticsWriter writer,
    IngestionTelemetry telemetry,
    ConsumeLoop loop,
    DeadLetterPublisher deadLetters,
    IOptions<AnalyticsIngestionOptions> options,
    IOptions<MessagingOptions> messagingOptions,
    TimeProvider timeProvider,
    ILogger<AnalyticsConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly AnalyticsIngestionOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(
        new ConsumeLoopOptions(_options.GroupId, Topics(), _options.MaxBatchSize, Linger: _options.FlushInterval, CommitEachBatch: true),
        WriteAsync, stoppingToken);

    /// <summary>Maps the batch into rows and writes them; throws when ClickHouse keeps refusing, so the batch is read again.</summary>
    private async Task WriteAsync(IReadOnlyList<ConsumeResult<string, string>> messages, CancellationToken ct)
    {
        var batch = new IngestionBatch();
        foreach (var result in messages) await TakeAsync(result, batch, ct);

        using var activity = IngestionTelemetry.StartBatchWrite(batch.Traces, batch.MessageCount);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writer.WriteAsync(batch, ct);
                break;
            }
            catch (ClickHouseException ex)
            {
                telemetry.WriteFailed();
                if (attempt >= _options.MaxWriteAttempts)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, "ClickHouse did not accept the batch");
                    throw;
                }

                var delay = RetryDelay(attempt);
                logger.LogWarning("ClickHouse did not accept a batch of {Messages} messages (attempt {Attempt} of {MaxAttempts}): {Error}; retrying in {Delay}",
                    batch.MessageCount, attempt, _options.MaxWriteAttempts, ex.Message, delay);
                await Task.Delay(delay, timeProvider, ct);
            }
        }
        telemetry.Written(batch);
    }

    private async Task TakeAsync(ConsumeResult<string, string> result, IngestionBatch batch, CancellationToken ct)
    {
        using var activity = IngestionTelemetry.StartReceive(result, _options.GroupId);
        batch.Consumed(IngestionTelemetry.TraceOf(result.Message));
        EventEnvelope? envelope = null;
        try
        {
            envelope = EventEnvelope.Parse(result.Message.Value ?? "");
            if (mapper.TryAdd(envelope, batch))
            {
                batch.Mapped();
            }
            else
            {
                telemetry.Ignored(envelope.EventType);
            }
        }
        catch (Exception ex)
        {
            // Mapping is pure: a failure is the message's own and would repeat on every retry, so it must not block the
            // rest. Its offset is committed with the batch; should the batch not be written, the redelivery is
            // dead-lettered again.
            telemetry.Unusable(result.Topic);
            logger.LogError("{Topic}[{Partition}]@{Offset} is not a usable event ({ErrorType}: {Error}); moving it to the dead-letter topic",
                result.Topic, result.Partition.Value, result.Offset.Value, ex.GetType().Name, ex.Message);
            await deadLetters.MoveAsync(result, envelope, _options.GroupId, ex, attempts: 1, ct);
        }
    }

    private IReadOnlyList<string> Topics() => mapper.EventTypes
        .Select(eventType => EventCatalog.TryGet(eventType, out var descriptor)
            ? messagingOptions.Value.TopicOf(descriptor)
            : throw new InvalidOperationException($"{eventType} is not in the EventCatalog."))
        .Distinct()
        .ToList();

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt - 1), MaxRetryDelay.TotalMilliseconds));
}
