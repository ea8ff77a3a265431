using System.Text.Json;
using Confluent.Kafka;
using RestMan.Hosting.Resources;

namespace RestMan.Tests.Identity;

/// <summary>Reads <c>user.events</c> from the beginning, as any consumer would, until an expected event shows up.</summary>
internal static class UserEventsReader
{
    public const string Topic = "user.events";

    /// <summary>
    /// The envelopes of <paramref name="eventType"/> about <paramref name="userId"/>: waits up to <paramref name="timeout"/>
    /// for the first, then <paramref name="settle"/> longer for any duplicate.
    /// </summary>
    public static Task<IReadOnlyList<JsonElement>> WaitForAsync(
        string bootstrapServers, string eventType, Guid userId, TimeSpan timeout, TimeSpan? settle = null) => Task.Run(() =>
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"identity-tests-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, KafkaResource.PartitionsPerTopic)
            .Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));

        var found = new List<JsonElement>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? settledAt = null;
        while (DateTime.UtcNow < (settledAt ?? deadline))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null) continue;
            var envelope = JsonSerializer.Deserialize<JsonElement>(result.Message.Value);
            if (envelope.GetProperty("event_type").GetString() != eventType) continue;
            if (envelope.GetProperty("data").GetProperty("user_id").GetGuid() != userId) continue;
            if (result.Message.Key != userId.ToString())
                throw new InvalidOperationException($"{eventType} for {userId} was keyed '{result.Message.Key}', not by its user id");
            found.Add(envelope);
            settledAt = DateTime.UtcNow + (settle ?? TimeSpan.Zero);
        }
        consumer.Close();
        return (IReadOnlyList<JsonElement>)found;
    });
}
