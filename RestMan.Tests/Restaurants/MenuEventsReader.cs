using System.Text.Json;
using Confluent.Kafka;
using RestMan.Hosting.Resources;

namespace RestMan.Tests.Restaurants;

/// <summary>Reads <c>menu.events</c> from the beginning, as Analytics would, keeping one restaurant's events.</summary>
internal static class MenuEventsReader
{
    public const string Topic = "menu.events";

    public sealed record MenuEvent(string Key, string EventType, JsonElement Data, Guid EventId);

    /// <summary>
    /// The restaurant's events, in partition order, once <paramref name="expected"/> have arrived (within
    /// <paramref name="timeout"/>) and then <paramref name="settle"/> has passed without another: a duplicate would show.
    /// </summary>
    public static Task<IReadOnlyList<MenuEvent>> ReadAsync(
        string bootstrapServers, Guid restaurantId, int expected, TimeSpan timeout, TimeSpan settle) => Task.Run(() =>
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"restaurants-tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, KafkaResource.PartitionsPerTopic).Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));

        var found = new List<MenuEvent>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? settledAt = null;
        while (DateTime.UtcNow < (settledAt ?? deadline))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null) continue;
            var envelope = JsonSerializer.Deserialize<JsonElement>(result.Message.Value);
            var data = envelope.GetProperty("data");
            if (data.GetProperty("restaurant_id").GetGuid() != restaurantId) continue;
            found.Add(new MenuEvent(result.Message.Key, envelope.GetProperty("event_type").GetString()!, data, envelope.GetProperty("event_id").GetGuid()));
            if (found.Count >= expected) settledAt ??= DateTime.UtcNow + settle;
        }
        consumer.Close();
        return (IReadOnlyList<MenuEvent>)found;
    });
}
