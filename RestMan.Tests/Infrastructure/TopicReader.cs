using System.Text.Json;
using Confluent.Kafka;

namespace RestMan.Tests.Infrastructure;

/// <summary>One message as it sits on its topic: where, its key, its exact bytes and, when it is one, its envelope.</summary>
public sealed record LoggedEvent(TopicPartitionOffset Position, string Key, string Raw, JsonElement Envelope)
{
    public string EventType => Envelope.GetProperty("event_type").GetString()!;
    public JsonElement Data => Envelope.GetProperty("data");
    public Guid EventId => Envelope.GetProperty("event_id").GetGuid();

    /// <summary>Whether <c>data.&lt;field&gt;</c> is the given id (false for messages without it).</summary>
    public bool IsAbout(string field, Guid id) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(field, out var value) && value.TryGetGuid(out var parsed) && parsed == id;
}

/// <summary>
/// Reads a topic of the application's Kafka from the beginning, as a new consumer would, with a throwaway group that
/// never commits. Topics are shared by all tests, some of which publish deliberately broken messages: only
/// well-formed envelopes are offered to the caller's filter.
/// </summary>
public static class TopicReader
{
    /// <summary>
    /// The matching events in partition order, once <paramref name="expected"/> have arrived (within <paramref name="timeout"/>)
    /// and then <paramref name="settle"/> has passed, so a duplicate would show; fewer if the timeout passes first.
    /// </summary>
    public static Task<IReadOnlyList<LoggedEvent>> ReadAsync(string bootstrapServers, string topic, Func<LoggedEvent, bool> match,
        int expected, TimeSpan timeout, TimeSpan settle) => Task.Run(() =>
    {
        using var consumer = FromBeginning(bootstrapServers, topic);
        var found = new List<LoggedEvent>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? settledAt = null;
        while (DateTime.UtcNow < (settledAt ?? deadline))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null || Parse(result) is not { } logged || !match(logged)) continue;
            found.Add(logged);
            if (found.Count >= expected) settledAt ??= DateTime.UtcNow + settle;
        }
        consumer.Close();
        return (IReadOnlyList<LoggedEvent>)found;
    });

    /// <summary>The first matching event; throws if none arrives within <paramref name="timeout"/>.</summary>
    public static async Task<LoggedEvent> FirstAsync(string bootstrapServers, string topic, Func<LoggedEvent, bool> match, TimeSpan timeout) =>
        (await ReadAsync(bootstrapServers, topic, match, expected: 1, timeout, TimeSpan.Zero)).FirstOrDefault()
        ?? throw new TimeoutException($"no matching event on {topic} within {timeout.TotalSeconds:0.#} s");

    public static IConsumer<string, string> FromBeginning(string bootstrapServers, string topic)
    {
        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Partitions(topic).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        return consumer;
    }

    public static IEnumerable<TopicPartition> Partitions(string topic) =>
        Enumerable.Range(0, Aspire.Hosting.KafkaBuilderExtensions.PartitionsPerTopic).Select(p => new TopicPartition(topic, p));

    public static LoggedEvent? Parse(ConsumeResult<string, string> result)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<JsonElement>(result.Message.Value);
            var wellFormed = envelope.ValueKind == JsonValueKind.Object
                && envelope.TryGetProperty("event_type", out var type) && type.ValueKind == JsonValueKind.String
                && envelope.TryGetProperty("event_id", out var id) && id.TryGetGuid(out _)
                && envelope.TryGetProperty("data", out _);
            return wellFormed ? new LoggedEvent(result.TopicPartitionOffset, result.Message.Key, result.Message.Value, envelope) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
