using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>
/// The service's consumer group, the batch dispatcher of a <see cref="ConsumeLoop"/>. Messages come in batches of what
/// has already arrived (at most <see cref="EventConsumerOptions.MaxBatchSize"/>), in partition order; one SERIALIZABLE
/// transaction (retried on 40001) records each event id in the inbox and runs its handlers. Only after it commits does
/// the loop store the offsets: a redelivery finds its event in the inbox and changes nothing.
/// When a batch fails, its events are handled one by one, so a message that keeps failing goes to
/// <c>&lt;topic&gt;.dlq</c> alone and is skipped.
/// </summary>
internal sealed class EventConsumer(
    IServiceScopeFactory scopeFactory,
    Database database,
    EventHandlerRegistry registry,
    InboxStore inbox,
    DeadLetterPublisher deadLetters,
    ConsumeLoop loop,
    IOptions<EventConsumerOptions> options,
    IOptions<MessagingOptions> messagingOptions,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxOutageDelay = TimeSpan.FromSeconds(5);

    private readonly EventConsumerOptions _options = options.Value;
    private readonly string _group = options.Value.GroupId;

    /// <summary>A message that is an event some handler here wants.</summary>
    private sealed record Delivery(ConsumeResult<string, string> Result, EventEnvelope Envelope, IReadOnlyList<EventHandlerRegistration> Handlers);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(
        new ConsumeLoopOptions(_group, registry.Topics.Select(topic => messagingOptions.Value.TopicPrefix + topic).ToList(), _options.MaxBatchSize),
        ProcessAsync, stoppingToken);

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
