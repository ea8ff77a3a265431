using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace RestMan.Messaging;

/// <summary>How a <see cref="ConsumeLoop"/> gathers and settles batches.</summary>
/// <param name="Group">The consumer group.</param>
/// <param name="Topics">Full topic names (with the host's prefix).</param>
/// <param name="MaxBatchSize">Most messages handed over at once.</param>
/// <param name="Linger">
/// How long a batch keeps gathering after its first message. Zero: only what has already arrived, so batches grow only
/// under load (latency first); longer for a sink that prefers few large writes.
/// </param>
/// <param name="CommitEachBatch">
/// Commit each batch's offsets before the next one is gathered, instead of storing them for the background commit: for a
/// sink whose writes are not deduplicated by an inbox, fewer redeliveries after a restart.
/// </param>
/// <param name="StartAtEnd">A new group starts at the partitions' ends: a consumer that only nudges live screens has no use for history.</param>
public sealed record ConsumeLoopOptions(string Group, IReadOnlyList<string> Topics, int MaxBatchSize, TimeSpan Linger = default, bool CommitEachBatch = false,
    bool StartAtEnd = false);

/// <summary>
/// The one Kafka consume loop: gathers batches (partition order kept), hands each to a dispatcher on the consuming
/// thread, and only after the dispatcher returned stores or commits the offsets, so a batch whose effects are not durable
/// is redelivered. A dispatcher that throws restarts the consumer (with backoff) from the last committed offsets. Lag
/// counts every message not yet settled. Used by the event consumer (inbox in PostgreSQL), Analytics (ClickHouse) and
/// the web app's live screens.
/// </summary>
public sealed class ConsumeLoop
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(10);

    private readonly KafkaConsumerFactory _consumerFactory;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConsumeLoop> _logger;

    internal ConsumeLoop(KafkaConsumerFactory consumerFactory, MessagingMetrics metrics, TimeProvider timeProvider, ILogger<ConsumeLoop> logger)
    {
        _consumerFactory = consumerFactory;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> fires, on a thread of its own: Consume() blocks in librdkafka, where
    /// the thread pool cannot see it, so on a pool thread it held one of the threads the pool starts with (two on a
    /// 2-core machine) for the service's whole life. The dispatcher's own awaits still complete on the pool.
    /// </summary>
    public Task RunAsync(
        ConsumeLoopOptions options, Func<IReadOnlyList<ConsumeResult<string, string>>, CancellationToken, Task> dispatch, CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Restarting(options, dispatch, stoppingToken), stoppingToken,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private void Restarting(
        ConsumeLoopOptions options, Func<IReadOnlyList<ConsumeResult<string, string>>, CancellationToken, Task> dispatch, CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = $"consume {options.Group}";
        if (options.Topics.Count == 0)
        {
            _logger.LogWarning("Consumer group {Group} has nothing to consume; it does not subscribe", options.Group);
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Consume(options, dispatch, () => failures = 0, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: an interrupted batch stored no offset and is redelivered
            }
            catch (Exception ex)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures++), MaxRestartDelay.TotalSeconds));
                _logger.LogError(ex, "Consumer group {Group} failed; restarting it from the last committed offsets in {Delay}", options.Group, delay);
                Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
            }
        }
    }

    private void Consume(
        ConsumeLoopOptions options, Func<IReadOnlyList<ConsumeResult<string, string>>, CancellationToken, Task> dispatch, Action settled,
        CancellationToken ct)
    {
        var batch = new List<ConsumeResult<string, string>>(options.MaxBatchSize);
        // Runs inside Consume() on this thread: messages of a partition now another member's are its to handle.
        using var consumer = _consumerFactory.Create(options.Group,
            onPartitionsRevoked: revoked => batch.RemoveAll(result => revoked.Contains(result.TopicPartition)), startAtEnd: options.StartAtEnd);
        consumer.Subscribe(options.Topics);
        _logger.LogInformation("Consumer group {Group} subscribed to {Topics}", options.Group, options.Topics);
        try
        {
            while (true)
            {
                batch.Clear();
                Gather(consumer, options, batch, ct);
                if (batch.Count == 0) continue;

                // Until the batch is settled, its messages count as lag.
                foreach (var first in batch.GroupBy(r => r.TopicPartition).Select(partition => partition.First()))
                    _consumerFactory.RecordLag(consumer, options.Group, first.TopicPartition, first.Offset);
                // This thread is the loop's own: waiting here blocks no pool thread, and the consumer stays on one thread.
                dispatch(batch, ct).GetAwaiter().GetResult();

                var next = batch.GroupBy(r => r.TopicPartition)
                    .Select(partition => new TopicPartitionOffset(partition.Key, partition.Last().Offset + 1)).ToList();
                if (options.CommitEachBatch) consumer.TryCommit(next, _logger);
                else foreach (var last in batch.GroupBy(r => r.TopicPartition).Select(partition => partition.Last())) consumer.TryStoreOffset(last, _logger);
                foreach (var offset in next) _consumerFactory.RecordLag(consumer, options.Group, offset.TopicPartition, offset.Offset);
                settled();
            }
        }
        finally
        {
            consumer.CloseQuietly(_logger); // commits the stored offsets
        }
    }

    /// <summary>Waits for one message, then takes what arrives within the linger (or has already arrived), up to the batch size.</summary>
    private void Gather(IConsumer<string, string> consumer, ConsumeLoopOptions options, List<ConsumeResult<string, string>> batch, CancellationToken ct)
    {
        var started = 0L;
        while (batch.Count < options.MaxBatchSize)
        {
            ConsumeResult<string, string>? result;
            if (batch.Count == 0) result = consumer.TryConsume(_logger, ct);
            else
            {
                var left = options.Linger - _timeProvider.GetElapsedTime(started);
                result = consumer.TryConsume(_logger, left > TimeSpan.Zero ? left : TimeSpan.Zero);
                if (result is null) return;
            }

            if (result is null) continue;
            if (result.IsPartitionEOF)
            {
                if (!batch.Exists(r => r.TopicPartition.Equals(result.TopicPartition))) _metrics.RecordLag(options.Group, result.TopicPartition, 0);
                continue;
            }
            if (batch.Count == 0) started = _timeProvider.GetTimestamp();
            batch.Add(result);
        }
    }
}
