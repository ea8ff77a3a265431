using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RestMan.Messaging;

/// <summary>
/// Publishes committed outbox rows to Kafka and marks them sent. Each (topic, key) stream goes out one row at a
/// time in key_seq order and stops at its first failure, so a consumer never sees an aggregate's events reordered;
/// unacknowledged rows stay unsent and are retried with backoff. At-least-once: consumers dedupe by event id.
/// </summary>
internal sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    OutboxStore store,
    EventPublisher publisher,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    IOptions<KafkaOptions> kafkaOptions,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int CleanupBatchSize = 1000;

    private readonly OutboxOptions _options = options.Value;
    private readonly TimeSpan _leaseDuration = OutboxRelayLease.DurationFor(kafkaOptions.Value.MessageTimeout);
    // A delivery report always comes within the message timeout; past this, waiting longer would only stall the stream.
    private readonly TimeSpan _publishDeadline = kafkaOptions.Value.MessageTimeout + TimeSpan.FromSeconds(5);
    // Published, not yet marked: the next round marks them in its load's round trip (a round follows at once).
    private readonly List<Guid> _unmarked = [];
    private long? _lastCleanup;

    private enum Round { Published, Idle, NotLeader, Failed }

    private sealed record StreamResult(IReadOnlyList<Guid> Sent, bool Failed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = new OutboxRelayLease(dataSource, store.Schema, _leaseDuration, timeProvider);
        var consecutiveFailures = 0;
        long? failingSince = null, lastStallReport = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var round = await RunRoundAsync(lease, stoppingToken);
                consecutiveFailures = round == Round.Failed ? consecutiveFailures + 1 : 0;
                if (round != Round.Failed) failingSince = lastStallReport = null;
                switch (round)
                {
                    case Round.Failed:
                        failingSince ??= timeProvider.GetTimestamp();
                        if (timeProvider.GetElapsedTime(failingSince.Value) >= _options.StalledAfter
                            && (lastStallReport is null || timeProvider.GetElapsedTime(lastStallReport.Value) >= _options.StalledAfter))
                        {
                            lastStallReport = timeProvider.GetTimestamp();
                            logger.LogError("Outbox relay of schema {Schema} has failed every round for {Elapsed}: its events are not reaching consumers",
                                store.Schema, timeProvider.GetElapsedTime(failingSince.Value));
                        }
                        await Task.Delay(Backoff(consecutiveFailures), timeProvider, stoppingToken);
                        break;
                    case Round.Idle:
                        await signal.WaitAsync(_options.PollInterval, stoppingToken);
                        break;
                    case Round.NotLeader:
                        // Another instance publishes; check back well within its lease.
                        await Task.Delay(_leaseDuration / 5, timeProvider, stoppingToken);
                        break;
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was interrupted is retried by the next run.
        }
        finally
        {
            await MarkUnmarkedAsync();
            await ReleaseLeaseAsync(lease);
        }
    }

    /// <summary>
    /// Marks what was published and not yet marked, even when stopping: those events are in Kafka, and marking them
    /// spares consumers a redelivery. If it fails, they are published again later and the consumers' inboxes drop them.
    /// </summary>
    private async Task MarkUnmarkedAsync()
    {
        if (_unmarked.Count == 0) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), timeProvider);
            await store.MarkSentAsync(dataSource, _unmarked, timeProvider.GetUtcNow(), timeout.Token);
            _unmarked.Clear();
        }
        catch (Exception ex)
        {
            logger.LogWarning("Could not mark {Count} published outbox rows of {Schema} as sent ({Error}); they will be published again",
                _unmarked.Count, store.Schema, ex.Message);
        }
    }

    private async Task<Round> RunRoundAsync(OutboxRelayLease lease, CancellationToken ct)
    {
        try
        {
            if (!await lease.TryHoldAsync(ct))
            {
                await MarkUnmarkedAsync();
                return Round.NotLeader;
            }
            await DeleteOldSentRowsIfDueAsync(ct);

            var rows = await store.MarkSentAndLoadPendingAsync(
                dataSource, _unmarked, timeProvider.GetUtcNow(), _options.MaxStreamsPerBatch, _options.BatchSize, ct);
            _unmarked.Clear();
            if (rows.Count == 0) return Round.Idle;

            var streams = rows.GroupBy(row => (row.Topic, row.Key)).Select(stream => stream.OrderBy(row => row.KeySeq).ToList());
            var results = await Task.WhenAll(streams.Select(stream => PublishStreamAsync(stream, ct)));
            _unmarked.AddRange(results.SelectMany(result => result.Sent));
            var failed = results.Any(result => result.Failed);
            // No next round at once after a failure (backoff) or when stopping: mark now.
            if (failed || ct.IsCancellationRequested) await MarkUnmarkedAsync();
            return failed ? Round.Failed : Round.Published;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Outbox relay of schema {Schema} failed; retrying", store.Schema);
            return Round.Failed;
        }
    }

    private async Task<StreamResult> PublishStreamAsync(IReadOnlyList<OutboxRow> stream, CancellationToken ct)
    {
        var sent = new List<Guid>(stream.Count);
        foreach (var row in stream)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(_publishDeadline);
                await publisher.PublishAsync(row.ToOutgoingMessage(), deadline.Token);
                sent.Add(row.EventId);
                metrics.Published(row.Topic);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new StreamResult(sent, Failed: true);
            }
            catch (Exception ex)
            {
                metrics.PublishFailed(row.Topic);
                logger.LogWarning(
                    "Could not publish event {EventId} ({EventType}) to {Topic}: {Error}. It stays in the outbox, and " +
                    "later events of key {Key} wait behind it",
                    row.EventId, row.EventType, row.Topic, ex.Message, row.Key);
                return new StreamResult(sent, Failed: true);
            }
        }
        return new StreamResult(sent, Failed: false);
    }

    private async Task DeleteOldSentRowsIfDueAsync(CancellationToken ct)
    {
        if (_lastCleanup is { } last && timeProvider.GetElapsedTime(last) < _options.CleanupInterval) return;
        _lastCleanup = timeProvider.GetTimestamp();

        var deleted = await store.DeleteSentAsync(dataSource, timeProvider.GetUtcNow() - _options.SentRetention, CleanupBatchSize, ct);
        if (deleted > 0) logger.LogInformation("Deleted {Count} outbox rows of {Schema} sent over {Retention} ago", deleted, store.Schema, _options.SentRetention);
    }

    private TimeSpan Backoff(int consecutiveFailures)
    {
        var exponent = Math.Min(consecutiveFailures - 1, 16);
        var delay = _options.RetryDelay * Math.Pow(2, exponent);
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private async Task ReleaseLeaseAsync(OutboxRelayLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), timeProvider);
            await lease.ReleaseAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Could not release the outbox relay lease of {Schema} ({Error}); another instance takes over when it lapses",
                store.Schema, ex.Message);
        }
    }
}
