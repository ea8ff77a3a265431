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
/// redelivery rewrites the same rows, so nothing is lost and nothing counts twice.
/// </summary>
public sealed class AnalyticsConsumer(
    EventRowMapper mapper,
    AnalyticsWriter writer,
    IngestionTelemetry telemetry,
    IOptions<AnalyticsIngestionOptions> options,
    IOptions<KafkaOptions> kafkaOptions,
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
        using var consumer = BuildConsumer();
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
                if (wait > TimeSpan.Zero && Consume(consumer, wait) is { Message: not null } result)
                {
                    if (_batch.IsEmpty)
                    {
                        batchStartedAt = timeProvider.GetTimestamp();
                    }

                    Take(result);
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
            Close(consumer);
        }
    }

    private ConsumeResult<string, string>? Consume(IConsumer<string, string> consumer, TimeSpan wait)
    {
        try
        {
            return consumer.Consume(wait);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            logger.LogWarning("Analytics consumer could not consume: {Code} {Reason}", ex.Error.Code, ex.Error.Reason);
            return null;
        }
    }

    private void Take(ConsumeResult<string, string> result)
    {
        _batch.Consumed(result.TopicPartitionOffset, IngestionTelemetry.TraceOf(result.Message));
        try
        {
            var envelope = EventEnvelope.Parse(result.Message.Value ?? "");
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
            // Mapping is pure: a failure is the message's own and would repeat on every retry, so it must not block the rest.
            telemetry.Unusable(result.Topic);
            logger.LogError("Skipping {Topic}[{Partition}]@{Offset}: it is not a usable event ({ErrorType}: {Error})",
                result.Topic, result.Partition.Value, result.Offset.Value, ex.GetType().Name, ex.Message);
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

        Commit(consumer, batch.OffsetsToCommit());
        telemetry.Written(batch);
        _consecutiveFailures = 0;
    }

    private void Commit(IConsumer<string, string> consumer, IReadOnlyList<TopicPartitionOffset> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException ex)
        {
            // The rows are written; whoever reads these messages again rewrites the same rows.
            logger.LogWarning("Analytics consumer could not commit {Offsets}: {Reason}", offsets, ex.Error.Reason);
        }
    }

    private void Close(IConsumer<string, string> consumer)
    {
        try
        {
            consumer.Close(); // leaves the group now, so its partitions move on without waiting for a session timeout
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Analytics consumer did not close cleanly: {Reason}", ex.Error.Reason);
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

    private IConsumer<string, string> BuildConsumer()
    {
        var kafka = kafkaOptions.Value;
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = _options.GroupId,
            ClientId = $"{messagingOptions.Value.Source}-consumer",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ReconnectBackoffMaxMs = (int)kafka.ReconnectBackoffMax.TotalMilliseconds,
            SessionTimeoutMs = (int)kafka.ConsumerSessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)(kafka.ConsumerSessionTimeout.TotalMilliseconds / 3),
            FetchWaitMaxMs = 100,
            Debug = kafka.Debug,
        };

        return new ConsumerBuilder<string, string>(config)
            .SetLogHandler((_, message) => OnLog(message))
            .SetErrorHandler((_, error) =>
                logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka client error {Code}: {Reason}", error.Code, error.Reason))
            .SetPartitionsAssignedHandler((_, partitions) =>
                logger.LogInformation("Analytics consumer {Group} assigned {Partitions}", _options.GroupId, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => _batch.Revoke(partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => _batch.Revoke(partitions.Select(p => p.TopicPartition)))
            .Build();
    }

    private void OnLog(LogMessage message)
    {
        // librdkafka's "offset reset" warning: its position was gone from the broker and it skipped ahead.
        if (message.Level <= SyslogLevel.Warning && message.Facility == "OFFSET" && message.Message.Contains("offset reset", StringComparison.Ordinal))
        {
            telemetry.OffsetReset();
            logger.LogError("Analytics consumer lost its position, messages were skipped: {Message}", message.Message);
            return;
        }

        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "librdkafka {Client} {Facility}: {Message}", message.Name, message.Facility, message.Message);
    }
}
