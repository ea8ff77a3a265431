using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Web.Live;

/// <summary>
/// The web app's own consumer group on <c>order.events</c>, <c>kitchen.events</c>, <c>bill.events</c>, <c>table.events</c> and <c>inventory.events</c>: each event becomes an
/// <see cref="OrderChange"/> for the screens watching it. Nothing is stored, so there is no inbox: a redelivery only
/// makes a screen read the API once more. A batch dispatcher of the shared <see cref="ConsumeLoop"/>.
/// </summary>
public sealed class OrderEventsListener(
    LiveOrders live,
    ConsumeLoop loop,
    IOptions<MessagingOptions> messagingOptions,
    IConfiguration configuration,
    ILogger<OrderEventsListener> logger) : BackgroundService
{
    private const int MaxBatchSize = 100;
    private const string KitchenEventPrefix = "kitchen.";

    /// <summary>What every kitchen event says: whose order, which restaurant.</summary>
    private sealed record KitchenChange(Guid OrderId, Guid RestaurantId) : IIntegrationEvent;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Every replica's screens need every event: each replica is its own group ("web-<replica id>", stable across its
        // restarts), so it is assigned every partition. A new replica starts at the end: screens load their state from the API.
        var group = configuration["Web:ConsumerGroup"] ?? $"web-{ReplicaIdentity.Of(configuration)}";
        var prefix = messagingOptions.Value.TopicPrefix;
        return loop.RunAsync(new ConsumeLoopOptions(group, [prefix + Topics.Order, prefix + Topics.Kitchen, prefix + Topics.Bill, prefix + Topics.Table, prefix + Topics.Inventory], MaxBatchSize,
            StartAtEnd: true), (batch, _) =>
        {
            foreach (var result in batch) PassOn(result);
            return Task.CompletedTask;
        }, stoppingToken);
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
                // A table order's new round is a new ticket: the kitchen display reloads as for a new order.
                var t when t == OrderItemsAdded.EventType =>
                    envelope.DataAs<OrderItemsAdded>() is var round ? new(round.OrderId, round.RestaurantId, t, $"ROUND {round.Round}") : null,
                var t when t == OrderItemRemoved.EventType =>
                    envelope.DataAs<OrderItemRemoved>() is var removed ? new(removed.OrderId, removed.RestaurantId, t, null) : null,
                // A table's change goes to its restaurant's screens (the floor view), keyed by the table.
                var t when t == TableStatusChanged.EventType =>
                    envelope.DataAs<TableStatusChanged>() is var table ? new(table.TableId, table.RestaurantId, t, table.NewStatus) : null,
                // The kitchen's own steps, in its own words: a kitchen display reloads; order screens wait for Orders' step.
                var t when t == KitchenTicketOpened.EventType =>
                    envelope.DataAs<KitchenTicketOpened>() is var opened ? new(opened.OrderId, opened.RestaurantId, t, "NEW") : null,
                // A late ticket: the console's alerts and the expediter show it at once.
                var t when t == KitchenTicketDelayed.EventType =>
                    envelope.DataAs<KitchenTicketDelayed>() is var late ? new(late.OrderId, late.RestaurantId, t, "DELAYED") : null,
                var t when t.StartsWith(KitchenEventPrefix, StringComparison.Ordinal) =>
                    envelope.DataAs<KitchenChange>() is var kitchen ? new(kitchen.OrderId, kitchen.RestaurantId, t, null) : null,
                var t when t == OrderStatusUpdated.EventType =>
                    envelope.DataAs<OrderStatusUpdated>() is var moved ? new(moved.OrderId, null, t, moved.NewStatus) : null,
                var t when t == BillGenerated.EventType =>
                    envelope.DataAs<BillGenerated>() is var bill ? new(bill.OrderId, bill.RestaurantId, t, "PENDING") : null,
                var t when t == BillPaid.EventType =>
                    envelope.DataAs<BillPaid>() is var paid ? new(paid.OrderId, paid.RestaurantId, t, "PAID") : null,
                // The store room's news for the owner's console (keyed by the item or the food, not an order).
                var t when t == InventoryLowStock.EventType =>
                    envelope.DataAs<InventoryLowStock>() is var low ? new(low.StockItemId, low.RestaurantId, t, "LOW") : null,
                var t when t == InventoryDepleted.EventType =>
                    envelope.DataAs<InventoryDepleted>() is var gone ? new(gone.StockItemId, gone.RestaurantId, t, "DEPLETED") : null,
                var t when t == InventoryFoodAvailabilityChanged.EventType =>
                    envelope.DataAs<InventoryFoodAvailabilityChanged>() is var food ? new(food.FoodId, food.RestaurantId, t, food.SoldOut ? "SOLD_OUT" : "BACK") : null,
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
