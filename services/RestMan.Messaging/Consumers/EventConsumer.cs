using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>
/// The service's consumer group. Messages are taken in batches of what has already arrived (at most
/// <see cref="EventConsumerOptions.MaxBatchSize"/>), in partition order; one SERIALIZABLE transaction (retried on 40001)
/// records each event id in the inbox and runs its handlers. Only after it commits are the offsets stored, and
/// librdkafka commits stored offsets in the background: a redelivery finds its event in the inbox and changes nothing.
/// When a batch fails, its events are handled one by one, so a message that keeps failing goes to
/// <c>&lt;topic&gt;.dlq</c> alone and is skipped.
/// </summary>
internal sealed class EventConsumer(
    IServiceScopeFactory scopeFactory,
    Database database,
    EventHandlerRegistry registry,
    InboxStore inbox,
    DeadLetterPublisher deadLetters,
    KafkaConsumerFactory consumerFactory,
    IOptions<EventConsumerOptions> options,
    IOptions<MessagingOptions> messagingOptions,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxOutageDelay = TimeSpan.FromSeconds(5);

    private readonly EventConsumerOptions _options = options.Value;
    private readonly string _group = options.Value.GroupId;

    /// <summary>A message that is an event some handler here wants.</summary>
    private sealed record Delivery(ConsumeResult<string, string> Result, EventEnvelope Envelope, IReadOnlyList<EventHandlerRegistration> Handlers);

    // Consume() blocks; keep it off the thread that started the host.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => RunAsync(stoppingToken), stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var topics = registry.Topics.Select(topic => messagingOptions.Value.TopicPrefix + topic).ToList();
        if (topics.Count == 0)
        {
            logger.LogWarning("Event consumer {Group} has no handlers; it does not subscribe to anything", _group);
            return;
        }

        for (var restarts = 0; !stoppingToken.IsCancellationRequested; restarts++)
        {
            try
            {
                await ConsumeAsync(topics, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: an interrupted batch stored no offset and is redelivered
            }
            catch (Exception ex)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, restarts), MaxRestartDelay.TotalSeconds));
                logger.LogError(ex, "Event consumer {Group} failed; restarting it in {Delay}", _group, delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ConsumeAsync(IReadOnlyList<string> topics, CancellationToken ct)
    {
        using var consumer = consumerFactory.Create(_group);
        consumer.Subscribe(topics);
        logger.LogInformation("Event consumer {Group} subscribed to {Topics}", _group, topics);
        var batch = new List<ConsumeResult<string, string>>(_options.MaxBatchSize);
        try
        {
            while (true)
            {
                batch.Clear();
                // Wait for one message, then take whatever else has already arrived: batches grow only under load.
                for (var result = consumer.TryConsume(logger, ct); result is not null; result = consumer.TryConsume(logger, TimeSpan.Zero))
                {
                    if (!result.IsPartitionEOF) batch.Add(result);
                    else if (!batch.Exists(r => r.TopicPartition.Equals(result.TopicPartition))) metrics.RecordLag(_group, result.TopicPartition, 0);
                    if (batch.Count >= _options.MaxBatchSize) break;
                }
                if (batch.Count == 0) continue;

                // Until the batch commits, its messages count as lag.
                foreach (var first in batch.GroupBy(r => r.TopicPartition).Select(partition => partition.First()))
                    consumerFactory.RecordLag(consumer, _group, first.TopicPartition, first.Offset);
                await ProcessAsync(batch, ct);
                foreach (var last in batch.GroupBy(r => r.TopicPartition).Select(partition => partition.Last()))
                {
                    consumer.TryStoreOffset(last, logger);
                    consumerFactory.RecordLag(consumer, _group, last.TopicPartition, last.Offset + 1);
                }
            }
        }
        finally
        {
            consumer.CloseQuietly(logger); // commits the stored offsets
        }
    }

    private async Task ProcessAsync(IReadOnlyList<ConsumeResult<string, string>> batch, CancellationToken ct)
    {
        var deliveries = new List<Delivery>(batch.Count);
        foreach (var result in batch)
        {
            EventEnvelope envelope;
            try
            {
                envelope = EventEnvelope.Parse(result.Message.Value ?? "");
            }
            catch (JsonException ex)
            {
                using var activity = MessagingTelemetry.StartProcess(result, _group);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                logger.LogError("Message {Topic}[{Partition}]@{Offset} is not an event envelope: {Error}",
                    result.Topic, result.Partition.Value, result.Offset.Value, ex.Message);
                await deadLetters.MoveAsync(result, envelope: null, _group, ex, attempts: 1, ct);
                continue;
            }

            var handlers = registry.For(envelope.EventType);
            if (handlers.Count > 0)
            {
                deliveries.Add(new Delivery(result, envelope, handlers));
                continue;
            }
            metrics.Ignored(result.Topic, envelope.EventType);
            logger.LogDebug("Event consumer {Group} has no handler for {EventType}; skipping event {EventId}",
                _group, envelope.EventType, envelope.EventId);
        }
        if (deliveries.Count > 0) await HandleAsync(deliveries, ct);
    }

    private async Task HandleAsync(IReadOnlyList<Delivery> deliveries, CancellationToken ct)
    {
        var failedAttempts = 0;
        var outageRetries = 0;
        while (true)
        {
            try
            {
                var applied = await HandleOnceAsync(deliveries, ct);
                for (var i = 0; i < deliveries.Count; i++)
                {
                    var (result, envelope, _) = deliveries[i];
                    if (applied[i])
                    {
                        metrics.Handled(result.Topic, envelope.EventType);
                        continue;
                    }
                    metrics.Duplicate(result.Topic, envelope.EventType);
                    logger.LogDebug("Event {EventId} ({EventType}) was already handled; skipping the redelivery", envelope.EventId, envelope.EventType);
                }
                return;
            }
            catch (Exception ex) when (Outages.IsOutage(ex) && !ct.IsCancellationRequested)
            {
                // Not the messages' fault: wait for the database as long as it takes, without using up their attempts.
                var delay = TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, outageRetries++), MaxOutageDelay.TotalMilliseconds));
                logger.LogWarning("{Count} event(s) from {EventId} ({EventType}) wait for the database: {Error}; retrying in {Delay}",
                    deliveries.Count, deliveries[0].Envelope.EventId, deliveries[0].Envelope.EventType, ex.Message, delay);
                await Task.Delay(delay, timeProvider, ct);
            }
            catch (Exception ex) when (deliveries.Count > 1 && !ct.IsCancellationRequested)
            {
                // One event took the batch's transaction down with it: one by one, only the failing one uses up attempts.
                logger.LogWarning("A batch of {Count} events failed ({Error}); handling them one by one", deliveries.Count, ex.Message);
                foreach (var delivery in deliveries) await HandleAsync([delivery], ct);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var (result, envelope, _) = deliveries[0];
                failedAttempts++;
                if (failedAttempts >= _options.MaxAttempts)
                {
                    logger.LogError(ex, "Event {EventId} ({EventType}) failed {Attempts} times; moving it to the dead-letter topic",
                        envelope.EventId, envelope.EventType, failedAttempts);
                    await deadLetters.MoveAsync(result, envelope, _group, ex, failedAttempts, ct);
                    return;
                }

                logger.LogWarning(ex, "Event {EventId} ({EventType}) failed (attempt {Attempt} of {MaxAttempts}); retrying",
                    envelope.EventId, envelope.EventType, failedAttempts, _options.MaxAttempts);
                await Task.Delay(_options.RetryDelay * Math.Pow(2, failedAttempts - 1), timeProvider, ct);
            }
        }
    }

    /// <summary>Per delivery: true when its handlers ran and committed; false when the inbox already had the event.</summary>
    private async Task<bool[]> HandleOnceAsync(IReadOnlyList<Delivery> deliveries, CancellationToken ct) =>
        await database.InTransactionAsync(async tx =>
        {
            // The whole batch into the inbox in one round trip; only what it had not seen before is handled.
            var recorded = await inbox.TryRecordAllAsync(tx, deliveries.Select(d => (d.Envelope, d.Result.Topic)).ToList(), ct);
            var applied = new bool[deliveries.Count];
            for (var i = 0; i < deliveries.Count; i++)
            {
                var (result, envelope, handlers) = deliveries[i];
                using var activity = MessagingTelemetry.StartProcess(result, _group);
                activity?.SetTag("messaging.message.id", envelope.EventId.ToString());
                activity?.SetTag("restman.event_type", envelope.EventType);
                try
                {
                    if (!recorded.Remove(envelope.EventId)) continue;

                    await using var scope = scopeFactory.CreateAsyncScope();
                    var context = new EventContext(envelope, result.Topic, tx);
                    foreach (var handler in handlers)
                        await handler.InvokeAsync(scope.ServiceProvider, context, ct);
                    applied[i] = true;
                }
                catch (Exception ex)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    throw;
                }
            }
            return applied;
        }, ct);
}
