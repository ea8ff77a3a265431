using Confluent.Kafka;
using RestMan.ClickHouse;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;
using static RestMan.Tests.Analytics.AnalyticsFlow;

namespace RestMan.Tests.Analytics;

/// <summary>Offsets move only once ClickHouse holds the rows: an outage delays figures and loses none.</summary>
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
        var deadline = DateTime.UtcNow + Lag;
        while (CommittedOffset(delivered.TopicPartition) <= delivered.Offset.Value && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        CommittedOffset(delivered.TopicPartition).ShouldBeGreaterThan(delivered.Offset.Value, "once written, the message is committed");
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
