using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;
using static RestMan.Tests.BuildingBlocks.MessagingProbes;
using static RestMan.Tests.BuildingBlocks.TestServices;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// The outbox relay, end to end: one aggregate's events reach consumers in commit order, across concurrent writers,
/// relay restarts, cleanup of sent rows and a second relay instance, each event published once.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class MessagingOutboxTests(InfrastructureFixture infra, ITestOutputHelper output)
{
    [Fact]
    public async Task Events_of_one_aggregate_arrive_in_commit_order_even_when_written_concurrently()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        const int changesPerOrder = 6;
        Guid[] orderIds = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

        foreach (var orderId in orderIds) await PlaceOrderAsync(orders, orderId);
        // Concurrent writers of one order serialize on its row; the version each got is its commit position.
        await Task.WhenAll(orderIds.SelectMany(orderId => Enumerable.Range(0, changesPerOrder).Select(_ => ChangeStatusAsync(orders, orderId))));

        var expected = new[] { "placed" }.Concat(Enumerable.Range(1, changesPerOrder).Select(v => $"v{v}")).ToList();
        foreach (var orderId in orderIds)
        {
            var effects = await Eventually.MatchesAsync(
                () => EffectsAsync(db, orderId), e => e.Count >= expected.Count, Patience, $"all events of order {orderId}");
            effects.Select(e => e.Detail).ShouldBe(expected);
        }
    }

    [Fact]
    public async Task A_restarted_relay_resumes_where_it_stopped_without_losing_or_reordering_events()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        var firstRun = await scenario.StartHostAsync("orders", AddOrdersSide);
        await WarmUpAsync(firstRun, db);
        infra.Kafka.SetBrokerDown();
        try
        {
            await PlaceOrderAsync(firstRun, orderId);
            await ChangeStatusAsync(firstRun, orderId);
            await ChangeStatusAsync(firstRun, orderId);
        }
        finally
        {
            await firstRun.DisposeAsync(); // stops while its events are still unpublished
            infra.Kafka.SetBrokerUp();
        }
        (await UnsentCountAsync(db)).ShouldBe(3, "the first run published nothing while Kafka was down");

        await using var secondRun = await scenario.StartHostAsync("orders", AddOrdersSide);
        await ChangeStatusAsync(secondRun, orderId);

        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count >= 4, Patience, "all four events");
        effects.Select(e => e.Detail).ShouldBe(["placed", "v1", "v2", "v3"]);
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");
    }

    [Fact]
    public async Task A_producer_that_hit_a_fatal_error_is_replaced_and_every_later_event_still_arrives()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        await WarmUpAsync(orders, db);

        // From here on librdkafka fails every message of this producer, none flagged fatal: the case that once lost orders.
        KafkaProducerFaults.RaiseFatalError(orders.Services);
        var orderIds = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var orderId in orderIds) await PlaceOrderAsync(orders, orderId);

        foreach (var orderId in orderIds)
            await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count == 1, Patience, $"order {orderId} to reach the kitchen");
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");
    }

    [Fact]
    public async Task Sent_rows_past_their_retention_are_deleted_and_the_aggregate_stream_carries_on_in_order()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", b =>
        {
            b.Configuration["Messaging:Outbox:SentRetention"] = "00:00:00";
            b.Configuration["Messaging:Outbox:CleanupInterval"] = "00:00:00.100";
            AddOrdersSide(b);
        });
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        await PlaceOrderAsync(orders, orderId);
        await ChangeStatusAsync(orders, orderId);
        await Eventually.MatchesAsync(() => OutboxRowsAsync(db), rows => rows == 0, Patience, "sent rows and their stream to be deleted");

        // The order's stream was forgotten entirely; its next event starts a new one and still comes after the others.
        await ChangeStatusAsync(orders, orderId);
        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count >= 3, Patience, "all three events");
        effects.Select(e => e.Detail).ShouldBe(["placed", "v1", "v2"]);
    }

    [Fact]
    public async Task A_stream_whose_sent_rows_outlive_its_counter_keeps_numbering_after_cleanup()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        static void WithHourRetention(HostApplicationBuilder b)
        {
            b.Configuration["Messaging:Outbox:SentRetention"] = "01:00:00";
            b.Configuration["Messaging:Outbox:CleanupInterval"] = "00:00:00.100";
            AddOrdersSide(b);
        }
        await using var relay = await scenario.StartHostAsync("orders-relay", WithHourRetention);
        await using var db = scenario.CreateDataSource();
        await WarmUpAsync(relay, db); // this instance now holds the relay lease

        // This instance's clock runs two hours behind, so its events look written two hours before the other instance
        // sends them (as after a long Kafka outage): the stream's counter is past retention, its sent rows are not.
        await using var writer = await scenario.StartHostAsync("orders-writer", b =>
        {
            b.Services.AddSingleton<TimeProvider>(new ShiftedClock(TimeSpan.FromHours(-2)));
            WithHourRetention(b);
        });
        var orderId = Guid.NewGuid();
        await PlaceOrderAsync(writer, orderId);
        await ChangeStatusAsync(writer, orderId);
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");
        await CleanupRanAsync(db);
        await CleanupRanAsync(db); // the second proves the first cleanup, counters included, has finished

        (await StreamCounterAsync(db, orderId)).ShouldBe(2, "the counter stays while sent rows of its stream remain");
        await ChangeStatusAsync(writer, orderId); // would restart at key_seq 1 and hit outbox_stream_idx
        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count >= 3, Patience, "all three events");
        effects.Select(e => e.Detail).ShouldBe(["placed", "v1", "v2"]);
    }

    [Fact]
    public async Task Events_a_handler_writes_to_the_outbox_are_published_without_waiting_for_the_poll()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b =>
        {
            b.Configuration["Messaging:Outbox:PollInterval"] = "00:10:00"; // only a notification wakes this relay in time
            b.AddOutbox(schema: "kitchen");
            b.AddEventConsumer(scenario.ConsumerGroup, schema: "kitchen").Handle<OrderPlaced, AcceptOrder>();
        });
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();

        await PlaceOrderAsync(orders, Guid.NewGuid());

        await Eventually.MatchesAsync(() => SentCountAsync(db, "kitchen"), sent => sent == 1, Patience, "the kitchen's event to be published");
    }

    [Fact]
    public async Task Two_relay_instances_publish_every_event_once_and_in_order()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var first = await scenario.StartHostAsync("orders-1", AddOrdersSide);
        await using var second = await scenario.StartHostAsync("orders-2", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        Guid[] orderIds = [Guid.NewGuid(), Guid.NewGuid()];

        foreach (var orderId in orderIds) await PlaceOrderAsync(first, orderId);
        for (var change = 0; change < 5; change++)
        {
            foreach (var orderId in orderIds) await ChangeStatusAsync(change % 2 == 0 ? first : second, orderId);
        }
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");

        var published = scenario.ReadTopic(scenario.TopicOf(Topics.Order)).Select(m => EventEnvelope.Parse(m.Message.Value)).ToList();
        published.Count.ShouldBe(12, "each event exactly once");
        foreach (var orderId in orderIds)
        {
            var statuses = published
                .Where(e => e.Data.GetProperty("order_id").GetGuid() == orderId && e.EventType == OrderStatusUpdated.EventType)
                .Select(e => e.DataAs<OrderStatusUpdated>().NewStatus);
            statuses.ShouldBe(["v1", "v2", "v3", "v4", "v5"]);
        }
    }

    /// <summary>Accepts every placed order, announcing it through the kitchen's own outbox within the consumer's transaction.</summary>
    private sealed class AcceptOrder : IIntegrationEventHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
        {
            context.Tx.Publish(new OrderStatusUpdated(integrationEvent.OrderId, "PLACED", "ACCEPTED", "kitch", null, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        }
    }

    /// <summary>The system clock moved by a fixed offset; timers and timestamps stay real.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

    /// <summary>Waits until the relay's cleanup has deleted a marker row sent long past any retention.</summary>
    private static async Task CleanupRanAsync(NpgsqlDataSource db)
    {
        var marker = Guid.NewGuid();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO orders.outbox (event_id, event_type, event_version, topic, message_key, key_seq, payload, source, created_at, sent_at)
                VALUES (@marker, 'test.marker', 1, 'marker', @key, 1, '{}', 'tests', now() - INTERVAL '1 day', now() - INTERVAL '1 day')
                """, new { marker, key = marker.ToString() });
        }
        await Eventually.MatchesAsync(async () =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders.outbox WHERE event_id = @marker", new { marker });
        }, left => left == 0, Patience, "a cleanup round");
    }

    private static async Task<long?> StreamCounterAsync(NpgsqlDataSource db, Guid orderId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT last_seq FROM orders.outbox_streams WHERE message_key = @key", new { key = orderId.ToString() });
    }

    private static async Task<long> SentCountAsync(NpgsqlDataSource db, string schema)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {schema}.outbox WHERE sent_at IS NOT NULL");
    }
}
