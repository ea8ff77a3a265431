using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RestMan.ClickHouse;
using RestMan.Messaging;

namespace RestMan.Analytics.Ingestion;

/// <summary>
/// The analytics consumer group. Messages are mapped into rows as they arrive and written to ClickHouse in batches
/// (at most <see cref="AnalyticsIngestionOptions.MaxBatchSize"/> messages, at most
/// <see cref="AnalyticsIngestionOptions.FlushInterval"/> old); offsets are committed only after ClickHouse accepted every
/// row of the batch. A batch that cannot be written restarts the consumer from its last committed offsets, and a
/// redelivery rewrites the same rows, so nothing is lost and nothing counts twice. A message that is not a usable event
/// goes to <c>&lt;topic&gt;.dlq</c>. Only the loop is its own (the Messaging library's keeps an inbox in PostgreSQL): the
/// consumer, its dead letters and its lag gauge are the library's.
/// </summary>
public sealed class AnalyticsConsumer(
    EventRowMapper mapper,
    AnalyticsWriter writer,
    IngestionTelemetry telemetry,
    KafkaConsumerFactory consumerFactory,
    DeadLetterPublisher deadLetters,
    IOptions<AnalyticsIngestionOptions> options,
    IOptions<MessagingOptions> messagingOptions,
    TimeProvider timeProvider,
    ILogger<AnalyticsConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly AnalyticsIngestionOptions _options = options.Value;

    // Touched only on the consuming thread: librdkafka runs the rebalance callbacks inside Consume().
    private IngestionBatch _batch = new();
    private int _consecutiveFailures;

    // Consume() blocks; keep it off the thread that started the host.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => RunAsync(stoppingToken), stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var topics = Topics();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(topics, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = RetryDelay(++_consecutiveFailures);
                logger.LogError(ex, "Analytics ingestion failed; restarting from the last committed offsets in {Delay}", delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ConsumeAsync(IReadOnlyList<string> topics, CancellationToken ct)
    {
        using var consumer = consumerFactory.Create(_options.GroupId, onPartitionsRevoked: partitions => _batch.Revoke(partitions));
        consumer.Subscribe(topics);
        logger.LogInformation("Analytics consumer {Group} subscribed to {Topics}", _options.GroupId, topics);
        _batch = new IngestionBatch();
        var batchStartedAt = 0L;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var wait = _batch.IsEmpty ? IdlePoll : _options.FlushInterval - timeProvider.GetElapsedTime(batchStartedAt);
                if (wait > TimeSpan.Zero && consumer.TryConsume(logger, wait) is { } result)
                {
                    if (!result.IsPartitionEOF)
                    {
                        if (_batch.IsEmpty)
                        {
                            batchStartedAt = timeProvider.GetTimestamp();
                        }

                        await TakeAsync(result, ct);
                    }

                    RecordLag(consumer, result.TopicPartition, result.Offset);
                }

                if (!_batch.IsEmpty
                    && (_batch.MessageCount >= _options.MaxBatchSize || timeProvider.GetElapsedTime(batchStartedAt) >= _options.FlushInterval))
                {
                    await WriteAndCommitAsync(consumer, _batch, ct);
                    _batch = new IngestionBatch();
                }
            }
        }
        finally
        {
            consumer.CloseQuietly(logger);
        }
    }

    private async Task TakeAsync(ConsumeResult<string, string> result, CancellationToken ct)
    {
        using var activity = IngestionTelemetry.StartReceive(result, _options.GroupId);
        _batch.Consumed(result.TopicPartitionOffset, IngestionTelemetry.TraceOf(result.Message));
        EventEnvelope? envelope = null;
        try
        {
            envelope = EventEnvelope.Parse(result.Message.Value ?? "");
            if (mapper.TryAdd(envelope, _batch))
            {
                _batch.Mapped();
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

    private async Task WriteAndCommitAsync(IConsumer<string, string> consumer, IngestionBatch batch, CancellationToken ct)
    {
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

        // A failed commit is only logged: the rows are written, and whoever reads these messages again rewrites the same rows.
        var committed = batch.OffsetsToCommit();
        consumer.TryCommit(committed, logger);
        foreach (var next in committed)
        {
            consumerFactory.RecordLag(consumer, _options.GroupId, next.TopicPartition, next.Offset);
        }

        telemetry.Written(batch);
        _consecutiveFailures = 0;
    }

    /// <summary>
    /// Lag is every message of the partition not yet written and committed: from the batch's first one of it, or from
    /// <paramref name="next"/> (the partition's end) when the batch holds none.
    /// </summary>
    private void RecordLag(IConsumer<string, string> consumer, TopicPartition partition, Offset next) =>
        consumerFactory.RecordLag(consumer, _options.GroupId, partition, _batch.FirstOffsetOf(partition) ?? next);

    private IReadOnlyList<string> Topics() => mapper.EventTypes
        .Select(eventType => EventCatalog.TryGet(eventType, out var descriptor)
            ? messagingOptions.Value.TopicOf(descriptor)
            : throw new InvalidOperationException($"{eventType} is not in the EventCatalog."))
        .Distinct()
        .ToList();

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt - 1), MaxRetryDelay.TotalMilliseconds));
}
