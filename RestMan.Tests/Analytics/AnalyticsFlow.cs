using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Analytics;

public sealed record Dish(Guid Id, string Name, decimal Price);

// The rows the analytics endpoints answer with, as a client reads them.

public sealed record TopFood(
    DateOnly PeriodStart, Guid RestaurantId, Guid FoodId, string FoodName, string? CategoryName,
    long TotalQuantity, decimal TotalRevenue, long TotalOrders);

public sealed record RevenueByOrderType(
    DateOnly PeriodStart, string OrderType, long TotalOrders, decimal TotalRevenue, long PaidOrders, decimal PaidRevenue);

public sealed record RevenueByRestaurant(
    DateOnly PeriodStart, Guid RestaurantId, long TotalOrders, decimal TotalRevenue, long PaidOrders, decimal PaidRevenue);

public sealed record StatusCount(
    DateOnly PeriodStart, DateOnly PeriodEnd, string Status, long TotalOrders, decimal TotalValue, decimal AvgOrderValue, long PaidOrders);

/// <summary>
/// Publishes event envelopes straight to the application's Kafka, as the producing services would (same topics, same
/// keys, same envelope), so analytics can be driven with exactly known events.
/// </summary>
public sealed class EventStream(string bootstrapServers) : IDisposable
{
    private readonly IProducer<string, string> _producer =
        new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true }).Build();

    /// <summary>An envelope as the named service would write it.</summary>
    public static string Envelope<TEvent>(TEvent payload, string source, DateTimeOffset? timestamp = null)
        where TEvent : IIntegrationEvent<TEvent> =>
        new EventEnvelope(TEvent.EventType, Guid.NewGuid(), timestamp ?? DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(payload, MessagingJson.Options), source, TEvent.Version).ToJson();

    /// <summary>Publishes a new envelope of <paramref name="payload"/>; returns it, so it can be published again as is.</summary>
    public async Task<string> PublishAsync<TEvent>(TEvent payload, string source, DateTimeOffset? timestamp = null)
        where TEvent : IIntegrationEvent<TEvent>
    {
        var envelope = Envelope(payload, source, timestamp);
        await PublishEnvelopeAsync(payload, envelope);
        return envelope;
    }

    /// <summary>Publishes an envelope (a new one, or one published before: a redelivery) on its event's topic and key.</summary>
    public async Task<TopicPartitionOffset> PublishEnvelopeAsync<TEvent>(TEvent payload, string envelope)
        where TEvent : IIntegrationEvent<TEvent>
    {
        var descriptor = EventCatalog.Of<TEvent>();
        var delivery = await _producer.ProduceAsync(descriptor.Topic,
            new Message<string, string> { Key = descriptor.KeyOf(payload), Value = envelope });
        return delivery.TopicPartitionOffset;
    }

    /// <summary>Publishes any text (an envelope or not) on <paramref name="topic"/> under <paramref name="key"/>.</summary>
    public async Task<TopicPartitionOffset> PublishRawAsync(string topic, string key, string value)
    {
        var delivery = await _producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value });
        return delivery.TopicPartitionOffset;
    }

    /// <summary>Reads <paramref name="topic"/> from its beginning until what was read satisfies <paramref name="done"/>.</summary>
    public IReadOnlyList<ConsumeResult<string, string>> ReadUntil(
        string topic, Func<IReadOnlyList<ConsumeResult<string, string>>, bool> done, TimeSpan patience)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Single().Partitions;
        using var reader = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        reader.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));

        var messages = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + patience;
        while (!done(messages))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {patience.TotalSeconds:0}s on {topic}; read {messages.Count} messages.");
            }

            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                messages.Add(result);
            }
        }

        reader.Close();
        return messages;
    }

    public void Dispose() => _producer.Dispose();
}

/// <summary>Reading the analytics endpoints through the gateway, and waiting for figures to arrive.</summary>
public static class AnalyticsFlow
{
    /// <summary>How long after the last event every figure must be right (the acceptance criterion).</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromSeconds(5);

    public static async Task<List<TRow>> GetRowsAsync<TRow>(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<List<TRow>>(Json.Options))!;
    }

    /// <summary>Reads <paramref name="url"/> until it answers exactly <paramref name="expected"/>, failing with the difference at <paramref name="deadline"/>.</summary>
    public static async Task ShouldEventuallyBeAsync<TRow>(this HttpClient client, string url, IReadOnlyList<TRow> expected, DateTime deadline)
    {
        while (true)
        {
            var rows = await client.GetRowsAsync<TRow>(url);
            if (rows.SequenceEqual(expected))
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                rows.ShouldBe(expected, $"GET {url} after {Lag.TotalSeconds} s");
            }

            await Task.Delay(250);
        }
    }

    public static async Task<string> GetBodyAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A food created through the gateway, so its menu events are real.</summary>
    public static async Task<Dish> CreateDishAsync(this SignedInOwner owner, Guid restaurantId, string name, decimal price, Guid? categoryId = null) =>
        new(await owner.CreateFoodAsync(restaurantId, name, price, categoryId), name, price);

    /// <summary>An order.placed as the Orders service would announce it, priced from the menu.</summary>
    public static OrderPlaced Order(Guid restaurantId, string orderType, DateTimeOffset placedAt, params (Dish Dish, int Quantity)[] lines)
    {
        var items = lines.Select(l => new OrderPlacedItem(l.Dish.Id, l.Dish.Name, l.Quantity, l.Dish.Price, l.Quantity * l.Dish.Price)).ToList();
        return new OrderPlaced(Guid.NewGuid(), Guid.NewGuid(), restaurantId, orderType, items.Sum(i => i.LineTotal), items, placedAt);
    }

    public static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    public static OrderStatusUpdated Status(Guid orderId, string from, string to, DateTimeOffset at) =>
        new(orderId, from, to, "rest", Guid.NewGuid(), at);

    public static BillPaid Paid(OrderPlaced order, decimal amount, string method, DateTimeOffset at) =>
        new(Guid.NewGuid(), order.OrderId, order.RestaurantId, amount, method, at);

    /// <summary>Walks an order along its statuses from PLACED, a minute apart, as the Orders service announces them.</summary>
    public static async Task MoveAsync(this EventStream events, OrderPlaced order, params string[] statuses)
    {
        var from = "PLACED";
        var at = order.PlacedAt;
        foreach (var status in statuses)
        {
            at = at.AddMinutes(1);
            await events.PublishAsync(Status(order.OrderId, from, status, at), "orders");
            from = status;
        }
    }
}
