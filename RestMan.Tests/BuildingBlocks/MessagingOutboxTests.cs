using Microsoft.Extensions.Configuration;
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
}
