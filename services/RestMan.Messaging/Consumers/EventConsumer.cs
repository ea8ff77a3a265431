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
/// The service's consumer group. Per message: one SERIALIZABLE transaction (retried on 40001) records the event id in
/// the inbox and runs the handlers; only after it commits is the Kafka offset committed. A redelivered event finds
/// its id in the inbox and changes nothing. A message that keeps failing goes to <c>&lt;topic&gt;.dlq</c> and is skipped.
/// </summary>
internal sealed class EventConsumer(
    IServiceScopeFactory scopeFactory,
    NpgsqlDataSource dataSource,
    EventHandlerRegistry registry,
    InboxStore inbox,
    DeadLetterPublisher deadLetters,
    KafkaConsumerFactory consumerFactory,
    IOptions<EventConsumerOptions> options,
    IOptions<MessagingOptions> messagingOptions,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventConsumer> logger,
    IOutboxSignal? outboxSignal = null) : BackgroundService
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxOutageDelay = TimeSpan.FromSeconds(5);

    private readonly EventConsumerOptions _options = options.Value;
    private readonly string _group = options.Value.GroupId;

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
                return; // stopping: an interrupted message was not committed and is redelivered
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
        try
        {
            while (true)
            {
                var result = consumer.TryConsume(logger, ct);
                if (result is null) continue;
                if (result.IsPartitionEOF)
                {
                    metrics.RecordLag(_group, result.TopicPartition, 0);
                    continue;
                }

                RecordLag(consumer, result, handled: false);
                await ProcessAsync(result, ct);
                // A failed commit is only logged: the effect is committed, and a redelivery finds the event in the inbox.
                consumer.TryCommit([new TopicPartitionOffset(result.TopicPartition, result.Offset + 1)], logger);
                RecordLag(consumer, result, handled: true);
            }
        }
        finally
        {
            consumer.CloseQuietly(logger);
        }
    }

    private async Task ProcessAsync(ConsumeResult<string, string> result, CancellationToken ct)
    {
        using var activity = MessagingTelemetry.StartProcess(result, _group);

        EventEnvelope envelope;
        try
        {
            envelope = EventEnvelope.Parse(result.Message.Value ?? "");
        }
        catch (JsonException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogError("Message {Topic}[{Partition}]@{Offset} is not an event envelope: {Error}",
                result.Topic, result.Partition.Value, result.Offset.Value, ex.Message);
            await deadLetters.MoveAsync(result, envelope: null, _group, ex, attempts: 1, ct);
            return;
        }

        activity?.SetTag("messaging.message.id", envelope.EventId.ToString());
        activity?.SetTag("restman.event_type", envelope.EventType);

        var handlers = registry.For(envelope.EventType);
        if (handlers.Count == 0)
        {
            metrics.Ignored(result.Topic, envelope.EventType);
            logger.LogDebug("Event consumer {Group} has no handler for {EventType}; skipping event {EventId}",
                _group, envelope.EventType, envelope.EventId);
            return;
        }

        var failedAttempts = 0;
        var outageRetries = 0;
        while (true)
        {
            try
            {
                var applied = await HandleOnceAsync(result, envelope, handlers, ct);
                if (applied)
                {
                    metrics.Handled(result.Topic, envelope.EventType);
                    // Handlers may have written to the service's outbox in the committed transaction: publish without waiting for the poll.
                    outboxSignal?.Notify();
                }
                else
                {
                    metrics.Duplicate(result.Topic, envelope.EventType);
                    logger.LogDebug("Event {EventId} ({EventType}) was already handled; skipping the redelivery", envelope.EventId, envelope.EventType);
                }
                return;
            }
            catch (Exception ex) when (IsDatabaseOutage(ex) && !ct.IsCancellationRequested)
            {
                // Not the message's fault: wait for the database as long as it takes, without using up its attempts.
                var delay = TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, outageRetries++), MaxOutageDelay.TotalMilliseconds));
                logger.LogWarning("Event {EventId} ({EventType}) waits for the database: {Error}; retrying in {Delay}",
                    envelope.EventId, envelope.EventType, ex.Message, delay);
                await Task.Delay(delay, timeProvider, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failedAttempts++;
                if (failedAttempts >= _options.MaxAttempts)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
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

    /// <summary>True when the handlers ran and committed; false when the inbox already had the event.</summary>
    private async Task<bool> HandleOnceAsync(
        ConsumeResult<string, string> result, EventEnvelope envelope, IReadOnlyList<EventHandlerRegistration> handlers, CancellationToken ct)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await dataSource.InTransactionAsync(async (connection, transaction, token) =>
        {
            if (!await inbox.TryRecordAsync(connection, transaction, envelope, result.Topic, timeProvider.GetUtcNow(), token))
                return false;

            var context = new EventContext(envelope, result.Topic, connection, transaction);
            foreach (var handler in handlers)
                await handler.InvokeAsync(scope.ServiceProvider, context, token);
            return true;
        }, ct);
    }

    /// <summary>The database is unreachable or keeps conflicting: a transient condition, not a poison message.</summary>
    private static bool IsDatabaseOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }

    /// <summary>Messages on the partition not yet handled: the one in hand counts until it is handled.</summary>
    private void RecordLag(IConsumer<string, string> consumer, ConsumeResult<string, string> result, bool handled) =>
        consumerFactory.RecordLag(consumer, _group, result.TopicPartition, handled ? result.Offset + 1 : result.Offset);
}
