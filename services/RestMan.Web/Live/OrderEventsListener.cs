using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Web.Live;

/// <summary>
/// The web app's own consumer group on <c>order.events</c> and <c>bill.events</c>: each event becomes an
/// <see cref="OrderChange"/> for the screens watching it. Nothing is stored, so there is no inbox: a redelivery only
/// makes a screen read the API once more. Offsets are stored as events are passed on and committed in the background.
/// </summary>
public sealed class OrderEventsListener(
    LiveOrders live,
    KafkaConsumerFactory consumerFactory,
    IOptions<MessagingOptions> messagingOptions,
    IConfiguration configuration,
    TimeProvider timeProvider,
    ILogger<OrderEventsListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(10);

    // Consume() blocks; keep it off the thread that started the host.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => RunAsync(stoppingToken), stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // One web instance per group: a second instance needs its own group (Web:ConsumerGroup), or it would get only some partitions.
        var group = configuration["Web:ConsumerGroup"] ?? "web";
        var prefix = messagingOptions.Value.TopicPrefix;
        string[] topics = [prefix + Topics.Order, prefix + Topics.Bill];
        for (var restarts = 0; !stoppingToken.IsCancellationRequested; restarts++)
        {
            try
            {
                using var consumer = consumerFactory.Create(group);
                consumer.Subscribe(topics);
                logger.LogInformation("Web consumer {Group} subscribed to {Topics}", group, topics);
                try
                {
                    while (true)
                    {
                        var result = consumer.TryConsume(logger, stoppingToken);
                        if (result is null || result.IsPartitionEOF) continue;
                        PassOn(result);
                        consumer.TryStoreOffset(result, logger);
                    }
                }
                finally
                {
                    consumer.CloseQuietly(logger);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, restarts), MaxRestartDelay.TotalSeconds));
                logger.LogError(ex, "Web consumer failed; restarting it in {Delay}", delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void PassOn(ConsumeResult<string, string> result)
    {
        try
        {
            var envelope = EventEnvelope.Parse(result.Message.Value ?? "");
            OrderChange? change = envelope.EventType switch
            {
                var t when t == OrderPlaced.EventType =>
                    envelope.DataAs<OrderPlaced>() is var placed ? new(placed.OrderId, placed.RestaurantId, t, "PLACED") : null,
                var t when t == OrderStatusUpdated.EventType =>
                    envelope.DataAs<OrderStatusUpdated>() is var moved ? new(moved.OrderId, null, t, moved.NewStatus) : null,
                var t when t == BillGenerated.EventType =>
                    envelope.DataAs<BillGenerated>() is var bill ? new(bill.OrderId, bill.RestaurantId, t, "PENDING") : null,
                var t when t == BillPaid.EventType =>
                    envelope.DataAs<BillPaid>() is var paid ? new(paid.OrderId, paid.RestaurantId, t, "PAID") : null,
                _ => null,
            };
            if (change is not null) live.Publish(change);
        }
        catch (JsonException ex)
        {
            // Not ours to dead-letter: the services that own the event do that. A screen just misses one nudge.
            logger.LogWarning("Web consumer skipped {Topic}[{Partition}]@{Offset}: {Error}",
                result.Topic, result.Partition.Value, result.Offset.Value, ex.Message);
        }
    }
}
