using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RestMan.Messaging;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;
using static RestMan.Tests.BuildingBlocks.MessagingProbes;
using static RestMan.Tests.BuildingBlocks.TestServices;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// What a service with its own consumer loop (Analytics) takes from RestMan.Messaging: the group's consumer, the
/// dead-letter topic and the lag gauge, used as such a loop uses them.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class MessagingConsumerHooksTests(InfrastructureFixture infra, ITestOutputHelper output)
{
    [Fact]
    public async Task An_own_consumer_loop_dead_letters_what_it_cannot_use_and_reports_its_lag_like_the_event_consumer()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        var group = scenario.TopicPrefix + "reports";
        using var lag = new ConsumerLagProbe(group);
        await using var reports = await scenario.StartHostAsync("reports", b => b.AddKafkaConsumerFactory());
        var factory = reports.Services.GetRequiredService<KafkaConsumerFactory>();
        var deadLetters = reports.Services.GetRequiredService<DeadLetterPublisher>();
        var logger = reports.Services.GetRequiredService<ILogger<MessagingConsumerHooksTests>>();

        var topic = scenario.TopicOf(Topics.Order);
        var key = Guid.NewGuid().ToString();
        await scenario.PublishRawAsync(topic, key, "not an envelope");
        var usable = Envelope(NewOrderPlaced(Guid.NewGuid()));
        await scenario.PublishRawAsync(topic, key, usable.ToJson());

        using var consumer = factory.Create(group);
        consumer.Subscribe(topic);
        var taken = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + Patience;
        while (taken.Count < 2)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Read {taken.Count} of the 2 messages.");
            if (consumer.TryConsume(logger, TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result) taken.Add(result);
        }

        var (unusable, next) = (taken[0], taken[1]);
        var partition = unusable.TopicPartition;
        factory.RecordLag(consumer, group, partition, unusable.Offset);
        (await lag.ReadAsync()).Values.Sum().ShouldBe(2, "both messages are unhandled");

        var error = Should.Throw<JsonException>(() => EventEnvelope.Parse(unusable.Message.Value));
        await deadLetters.MoveAsync(unusable, envelope: null, group, error, attempts: 1, CancellationToken.None);
        EventEnvelope.Parse(next.Message.Value).EventId.ShouldBe(usable.EventId);
        consumer.TryCommit([new TopicPartitionOffset(partition, next.Offset + 1)], logger);
        factory.RecordLag(consumer, group, partition, next.Offset + 1);
        (await lag.ReadAsync()).Values.Sum().ShouldBe(0, "no lag once both are handled");
        consumer.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset.ShouldBe(next.Offset + 1);
        consumer.CloseQuietly(logger);

        var deadLetter = scenario.ReadTopic(scenario.TopicOf(Topics.DeadLetterOf(Topics.Order))).ShouldHaveSingleItem();
        deadLetter.Message.Key.ShouldBe(key);
        Header(deadLetter.Message.Headers, DeadLetter.ConsumerGroupHeader).ShouldBe(group);
        var body = JsonSerializer.Deserialize<DeadLetter>(deadLetter.Message.Value, MessagingJson.Options)!;
        body.RawMessage.ShouldBe("not an envelope");
        body.ErrorType.ShouldBe(typeof(JsonException).FullName);
        body.SourceTopic.ShouldBe(topic);
        body.SourceOffset.ShouldBe(unusable.Offset.Value);
        body.Attempts.ShouldBe(1);
    }
}
