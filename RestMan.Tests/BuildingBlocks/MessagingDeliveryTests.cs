using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;
using static RestMan.Tests.BuildingBlocks.MessagingProbes;
using static RestMan.Tests.BuildingBlocks.TestServices;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// Delivery guarantees of the consumer side, end to end on the real Kafka dev cluster and PostgreSQL: a committed
/// state change and its event go together, a redelivery changes nothing, a poison message is set aside, and faults
/// of Kafka or the database delay events without losing them.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class MessagingDeliveryTests(InfrastructureFixture infra, ITestOutputHelper output)
{
    [Fact]
    public async Task An_event_committed_with_its_state_change_takes_effect_once_although_the_broker_was_down_in_between()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        await WarmUpAsync(orders, db);
        var orderId = Guid.NewGuid();

        Guid eventId;
        infra.Kafka.SetBrokerDown();
        try
        {
            eventId = await PlaceOrderAsync(orders, orderId);
            // While Kafka is unreachable the event waits, committed, in the outbox: not lost, and not marked sent.
            await Task.Delay(TimeSpan.FromSeconds(3));
            (await IsSentAsync(db, eventId)).ShouldBeFalse();
            (await EffectsAsync(db, orderId)).ShouldBeEmpty();
        }
        finally
        {
            infra.Kafka.SetBrokerUp();
        }

        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count > 0, Patience, "the kitchen to handle the order");
        await Eventually.MatchesAsync(() => IsSentAsync(db, eventId), sent => sent, Patience, "the outbox row to be marked sent");

        effects.ShouldHaveSingleItem().EventId.ShouldBe(eventId);
        (await EffectsAsync(db, orderId)).Count.ShouldBe(1, "a retried publish must not cause a second effect");
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        await Should.ThrowAsync<InvalidOperationException>(() => orders.Services.GetRequiredService<Database>().InTransactionAsync(async tx =>
        {
            await tx.Connection.ExecuteAsync("INSERT INTO orders.orders VALUES (@orderId, 'PLACED', 0)", new { orderId }, tx.Transaction);
            tx.Publish(NewOrderPlaced(orderId, notes: "rolled back"));
            await tx.Batch().ExecuteNonQueryAsync(); // the outbox row is written, then the transaction rolls back
            throw new InvalidOperationException("payment declined");
        }, CancellationToken.None));

        // The same order placed again, committed: same key, same partition, so it would arrive after a leaked first event.
        var committedId = await PlaceOrderAsync(orders, orderId, notes: "committed");
        await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count > 0, Patience, "the committed order to be handled");

        (await EffectsAsync(db, orderId)).ShouldBe([new Effect(committedId, "committed")]);
        var published = scenario.ReadTopic(scenario.TopicOf(Topics.Order));
        published.ShouldHaveSingleItem().Message.Key.ShouldBe(orderId.ToString());
        EventEnvelope.Parse(published[0].Message.Value).EventId.ShouldBe(committedId);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_changes_the_consumer_state_once()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();
        var topic = scenario.TopicOf(Topics.Order);

        var placed = Envelope(NewOrderPlaced(orderId));
        await scenario.PublishRawAsync(topic, orderId.ToString(), placed.ToJson());
        await scenario.PublishRawAsync(topic, orderId.ToString(), placed.ToJson());
        // A later event of the same order: once it has taken effect, both copies before it have been consumed.
        var accepted = Envelope(new OrderStatusUpdated(orderId, "PLACED", "ACCEPTED", "kitch", null, DateTimeOffset.UtcNow));
        await scenario.PublishRawAsync(topic, orderId.ToString(), accepted.ToJson());

        var effects = await Eventually.MatchesAsync(
            () => EffectsAsync(db, orderId), e => e.Any(x => x.EventId == accepted.EventId), Patience, "the later event to be handled");

        effects.ShouldBe([new Effect(placed.EventId, "placed"), new Effect(accepted.EventId, "ACCEPTED")]);
    }

    [Fact]
    public async Task A_message_whose_handler_always_fails_goes_to_the_dead_letter_topic_and_the_next_ones_are_handled()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var poisonOrder = Guid.NewGuid();

        var poisonId = await PlaceOrderAsync(orders, poisonOrder, notes: PoisonNote);
        await ChangeStatusAsync(orders, poisonOrder); // same order, after the poison message on the same partition
        var healthyOrder = Guid.NewGuid();
        await PlaceOrderAsync(orders, healthyOrder);

        await Eventually.MatchesAsync(() => EffectsAsync(db, poisonOrder), e => e.Count > 0, Patience, "the event after the poison one");
        await Eventually.MatchesAsync(() => EffectsAsync(db, healthyOrder), e => e.Count > 0, Patience, "the other order");

        (await EffectsAsync(db, poisonOrder)).Select(e => e.Detail).ShouldBe(["v1"], "the poison event itself has no effect");
        var deadLetters = scenario.ReadTopic(scenario.TopicOf(Topics.DeadLetterOf(Topics.Order)));
        var deadLetter = deadLetters.ShouldHaveSingleItem();
        deadLetter.Message.Key.ShouldBe(poisonOrder.ToString());
        Header(deadLetter.Message.Headers, DeadLetter.ErrorHeader).ShouldContain("cannot cook");
        var body = JsonSerializer.Deserialize<DeadLetter>(deadLetter.Message.Value, MessagingJson.Options)!;
        body.Error.ShouldContain("cannot cook");
        body.Attempts.ShouldBe(2);
        body.SourceTopic.ShouldBe(scenario.TopicOf(Topics.Order));
        body.ConsumerGroup.ShouldBe(scenario.ConsumerGroup);
        body.Message!.Value.GetProperty("event_id").GetGuid().ShouldBe(poisonId);
    }

    [Fact]
    public async Task Events_that_piled_up_are_handled_in_a_batch_and_a_failing_one_among_them_goes_to_the_dead_letter_topic_alone()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        // Published before the kitchen starts, so its consumer finds them all waiting: one batch, one poison event inside.
        var healthy = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        var poisonOrder = Guid.NewGuid();
        foreach (var order in healthy.Take(3)) await PlaceOrderAsync(orders, order);
        await PlaceOrderAsync(orders, poisonOrder, notes: PoisonNote);
        foreach (var order in healthy.Skip(3)) await PlaceOrderAsync(orders, order);
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");

        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));

        foreach (var order in healthy)
            await Eventually.MatchesAsync(() => EffectsAsync(db, order), e => e.Count > 0, Patience, $"order {order} to be handled");
        await Eventually.MatchesAsync(() => Task.FromResult(scenario.ReadTopic(scenario.TopicOf(Topics.DeadLetterOf(Topics.Order))).Count),
            count => count > 0, Patience, "the poison event to be dead-lettered");

        foreach (var order in healthy) (await EffectsAsync(db, order)).Count.ShouldBe(1, "each healthy event takes effect exactly once");
        (await EffectsAsync(db, poisonOrder)).ShouldBeEmpty();
        scenario.ReadTopic(scenario.TopicOf(Topics.DeadLetterOf(Topics.Order))).ShouldHaveSingleItem().Message.Key.ShouldBe(poisonOrder.ToString());
    }

    [Fact]
    public async Task A_database_outage_while_handling_delays_the_message_but_never_dead_letters_it()
    {
        var gate = new KitchenGate();
        gate.SimulateDatabaseOutages(times: 4); // more failures than the two attempts a failing message gets
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup, gate));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        var eventId = await PlaceOrderAsync(orders, orderId, notes: DatabaseOutageNote);

        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count > 0, Patience, "the order to be handled");
        effects.ShouldBe([new Effect(eventId, DatabaseOutageNote)]);
        gate.OutagesLeft.ShouldBeLessThan(0, "every simulated outage was hit");
        scenario.ReadTopic(scenario.TopicOf(Topics.DeadLetterOf(Topics.Order))).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_consumer_that_joined_just_before_Kafka_went_down_catches_up_when_it_is_back()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        // Down while the group's first join is still in flight: that member is lost and must expire before a rejoin.
        infra.Kafka.SetBrokerDown();
        try
        {
            await PlaceOrderAsync(orders, orderId);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            infra.Kafka.SetBrokerUp();
        }

        // The lost member expires (session timeout), then the group rebalances (the broker's join delay) and the relay's
        // backoff ends: on a loaded 2-core machine that has taken over 30 s, so this waits for catching up, not for speed.
        var effects = await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count > 0, 3 * Patience, "the order to be handled");
        effects.Count.ShouldBe(1);
    }
}
