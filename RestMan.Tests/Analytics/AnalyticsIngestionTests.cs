using Confluent.Kafka;
using RestMan.ClickHouse;
using RestMan.Messaging;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;
using static RestMan.Tests.Analytics.AnalyticsFlow;

namespace RestMan.Tests.Analytics;

/// <summary>
/// Offsets move only once ClickHouse holds the rows: an outage delays figures and loses none. A message analytics cannot
/// use goes to its dead-letter topic and holds nothing back.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Analytics")]
public sealed class AnalyticsIngestionTests(ApplicationFixture fixture) : IDisposable
{
    private const string ConsumerGroup = "analytics";
    private const string PaymentsTable = "order_payments_analytics";
    private const string ParkedTable = "order_payments_parked";

    // The consumer gives up on a batch after a few seconds of retries and restarts from its committed offsets.
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(20);

    private readonly EventStream _events = new(fixture.App.GetConnectionString("kafka"));
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _events.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task A_batch_ClickHouse_cannot_take_is_not_committed_and_is_ingested_once_it_can()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurant = await owner.CreateRestaurantAsync();
        var ramen = await owner.CreateDishAsync(restaurant, "Ramen", 11.00m);
        var day = new DateOnly(2025, 8, 8);
        var order = Order(restaurant, "dine_in", At(day, 18), (ramen, 2));
        await _events.PublishAsync(order, "orders");
        var revenue = $"/analytics/revenue?period=day&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}";
        await owner.Client.ShouldEventuallyBeAsync<RevenueByOrderType>(revenue, [new(day, "dine_in", 1, 22.00m, 0, 0m)], DateTime.UtcNow + Lag);

        var clickHouse = new ClickHouseClient(_http, ClickHouseConnectionSettings.Parse(fixture.App.GetConnectionString("clickhouse")));
        var paid = Paid(order, 24.20m, "card", At(day, 19));
        TopicPartitionOffset delivered;
        await clickHouse.ExecuteAsync($"RENAME TABLE {PaymentsTable} TO {ParkedTable}", CancellationToken.None);
        try
        {
            delivered = await _events.PublishEnvelopeAsync(paid, EventStream.Envelope(paid, "billing"));
            // Long enough for several flush attempts, each refused: the table is missing.
            await Task.Delay(TimeSpan.FromSeconds(4));
            CommittedOffset(delivered.TopicPartition).ShouldBeLessThanOrEqualTo(delivered.Offset.Value,
                "the offset of a message whose rows ClickHouse refused must not be committed");
        }
        finally
        {
            await clickHouse.ExecuteAsync($"RENAME TABLE {ParkedTable} TO {PaymentsTable}", CancellationToken.None);
        }

        await owner.Client.ShouldEventuallyBeAsync<RevenueByOrderType>(revenue, [new(day, "dine_in", 1, 22.00m, 1, 24.20m)], DateTime.UtcNow + Recovery);
        await ShouldEventuallyBeCommittedAsync(delivered, "once written, the message is committed");
    }

    [Fact]
    public async Task An_unusable_message_on_order_events_goes_to_its_dead_letter_topic_and_the_messages_after_it_are_ingested()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurant = await owner.CreateRestaurantAsync();
        var gyoza = await owner.CreateDishAsync(restaurant, "Gyoza", 6.50m);
        var day = new DateOnly(2025, 9, 9);
        var order = Order(restaurant, "takeaway", At(day, 12), (gyoza, 2));

        // On the order's partition, ahead of it: a message that is not an envelope, and an order placed before the
        // earliest time ClickHouse's DateTime holds.
        var key = order.OrderId.ToString();
        var notAnEnvelope = await _events.PublishRawAsync(Topics.Order, key, "{\"not\": \"an event\"}");
        var tooOld = order with { OrderId = Guid.NewGuid(), PlacedAt = new DateTimeOffset(1969, 7, 20, 20, 17, 0, TimeSpan.Zero) };
        var unstorable = await _events.PublishRawAsync(Topics.Order, key, EventStream.Envelope(tooOld, "orders"));
        var usable = await _events.PublishEnvelopeAsync(order, EventStream.Envelope(order, "orders"));
        usable.TopicPartition.ShouldBe(notAnEnvelope.TopicPartition);

        var revenue = $"/analytics/revenue?period=day&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}";
        await owner.Client.ShouldEventuallyBeAsync<RevenueByOrderType>(revenue, [new(day, "takeaway", 1, 13.00m, 0, 0m)], DateTime.UtcNow + Lag);

        // Other services' consumers read order.events too, and may dead-letter the same messages: only analytics' count.
        bool IsAnalytics(ConsumeResult<string, string> m, TopicPartitionOffset source) =>
            Header(m, DeadLetter.ConsumerGroupHeader) == ConsumerGroup
            && Header(m, DeadLetter.SourcePartitionHeader) == source.Partition.Value.ToString()
            && Header(m, DeadLetter.SourceOffsetHeader) == source.Offset.Value.ToString();
        var deadLetters = _events.ReadUntil(Topics.DeadLetterOf(Topics.Order),
            read => read.Any(m => IsAnalytics(m, notAnEnvelope)) && read.Any(m => IsAnalytics(m, unstorable)), Lag);

        var notAnEnvelopeLetter = Body(deadLetters.Single(m => IsAnalytics(m, notAnEnvelope)));
        notAnEnvelopeLetter.SourceTopic.ShouldBe(Topics.Order);
        notAnEnvelopeLetter.ErrorType.ShouldBe(typeof(System.Text.Json.JsonException).FullName);
        notAnEnvelopeLetter.Message!.Value.GetProperty("not").GetString().ShouldBe("an event");

        var unstorableLetter = Body(deadLetters.Single(m => IsAnalytics(m, unstorable)));
        unstorableLetter.ErrorType.ShouldBe("RestMan.Analytics.Ingestion.UnusableEventException");
        unstorableLetter.Error.ShouldContain("placed_at");
        unstorableLetter.Message!.Value.GetProperty("data").GetProperty("order_id").GetGuid().ShouldBe(tooOld.OrderId);

        await ShouldEventuallyBeCommittedAsync(usable, "the dead-lettered messages do not hold the partition back");
    }

    private static string? Header(ConsumeResult<string, string> message, string name) =>
        message.Message.Headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    private static DeadLetter Body(ConsumeResult<string, string> message) =>
        System.Text.Json.JsonSerializer.Deserialize<DeadLetter>(message.Message.Value, MessagingJson.Options)!;

    /// <summary>Waits up to <see cref="Lag"/> for the analytics group to commit past <paramref name="message"/>.</summary>
    private async Task ShouldEventuallyBeCommittedAsync(TopicPartitionOffset message, string because)
    {
        var deadline = DateTime.UtcNow + Lag;
        while (CommittedOffset(message.TopicPartition) <= message.Offset.Value && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        CommittedOffset(message.TopicPartition).ShouldBeGreaterThan(message.Offset.Value, because);
    }

    /// <summary>The analytics group's committed offset (the next message it will read), -1 when none; asks without joining the group.</summary>
    private long CommittedOffset(TopicPartition partition)
    {
        using var reader = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = fixture.App.GetConnectionString("kafka"),
            GroupId = ConsumerGroup,
            EnableAutoCommit = false,
        }).Build();
        var committed = reader.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset;
        return committed.IsSpecial ? -1 : committed.Value;
    }
}
