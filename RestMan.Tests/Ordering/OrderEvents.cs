using System.Diagnostics;
using Confluent.Kafka;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Ordering;

/// <summary>Reads and replays the ordering pipeline's events on the application's Kafka, as a broker redelivery would.</summary>
internal static class OrderEvents
{
    /// <summary>The first <paramref name="eventType"/> about <paramref name="orderId"/> on <c>order.events</c>.</summary>
    public static Task<LoggedEvent> FindAsync(string bootstrapServers, string eventType, Guid orderId, TimeSpan deadline) =>
        TopicReader.FirstAsync(bootstrapServers, "order.events", e => e.EventType == eventType && e.IsAbout("order_id", orderId), deadline);

    /// <summary>Publishes the very same key and bytes again, to the same topic; returns where the copy landed.</summary>
    public static async Task<TopicPartitionOffset> PublishAgainAsync(string bootstrapServers, LoggedEvent published)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        var delivery = await producer.ProduceAsync(published.Position.Topic, new Message<string, string> { Key = published.Key, Value = published.Raw });
        delivery.Partition.ShouldBe(published.Position.Partition, "the copy keeps its key, so its partition");
        return delivery.TopicPartitionOffset;
    }

    /// <summary>Waits until every consumer group has committed past <paramref name="position"/>: they have handled it.</summary>
    public static Task WaitUntilConsumedAsync(string bootstrapServers, IReadOnlyList<string> groups, TopicPartitionOffset position, TimeSpan deadline) => Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        foreach (var group in groups)
        {
            // Reading a group's committed offsets does not join the group, so the service's consumer is not disturbed.
            using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
            while (true)
            {
                var committed = probe.Committed([position.TopicPartition], TimeSpan.FromSeconds(5)).Single().Offset;
                if (committed.Value > position.Offset.Value) break;
                if (clock.Elapsed > deadline)
                    throw new TimeoutException($"consumer group {group} did not get past {position} within {deadline.TotalSeconds:0.#} s (at {committed})");
                await Task.Delay(50);
            }
        }
    });

    /// <summary>How many <paramref name="eventType"/> events about the order <paramref name="topic"/> holds right now.</summary>
    public static Task<int> CountAsync(string bootstrapServers, string topic, string eventType, Guid orderId) => Task.Run(() =>
    {
        using var consumer = TopicReader.FromBeginning(bootstrapServers, topic);
        var ends = TopicReader.Partitions(topic).ToDictionary(p => p.Partition, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(5)).High);
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (ends.Any(e => consumer.Position(new TopicPartition(topic, e.Key)) is var at && (at == Offset.Unset ? 0 : at.Value) < e.Value.Value))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"could not read {topic} to its end");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null && TopicReader.Parse(result) is { } logged && logged.EventType == eventType && logged.IsAbout("order_id", orderId)) count++;
        }
        return count;
    });
}
