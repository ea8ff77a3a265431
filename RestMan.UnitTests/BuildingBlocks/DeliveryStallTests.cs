using RestMan.Messaging;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>When the outbox's Kafka producer is given up for a fresh one: only after two message timeouts of nothing but timeouts.</summary>
[Trait("Category", "Unit")]
public sealed class DeliveryStallTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 22, 8, TimeSpan.Zero);

    [Fact]
    public void The_stall_lasts_two_message_timeouts() =>
        DeliveryStall.For(TimeSpan.FromSeconds(10)).StallAfter.ShouldBe(TimeSpan.FromSeconds(20));

    [Fact]
    public void A_producer_whose_deliveries_time_out_for_two_message_timeouts_is_replaced()
    {
        var stall = DeliveryStall.For(TimeSpan.FromSeconds(10));
        stall.TimedOut(Start).ShouldBeFalse("one timeout is a broker outage the producer rides out");
        stall.TimedOut(Start.AddSeconds(10)).ShouldBeFalse();
        stall.TimedOut(Start.AddSeconds(19.9)).ShouldBeFalse();
        stall.TimedOut(Start.AddSeconds(20)).ShouldBeTrue();
    }

    [Fact]
    public void One_delivery_in_between_starts_the_count_again()
    {
        var stall = DeliveryStall.For(TimeSpan.FromSeconds(10));
        stall.TimedOut(Start).ShouldBeFalse();
        stall.TimedOut(Start.AddSeconds(15)).ShouldBeFalse();
        stall.Delivered();
        stall.TimedOut(Start.AddSeconds(25)).ShouldBeFalse("the producer delivered at 15 s: it is not stuck");
        stall.TimedOut(Start.AddSeconds(44)).ShouldBeFalse();
        stall.TimedOut(Start.AddSeconds(45)).ShouldBeTrue();
    }

    [Fact]
    public void Deliveries_alone_never_replace_a_producer()
    {
        var stall = DeliveryStall.For(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100; i++) stall.Delivered();
        stall.TimedOut(Start.AddHours(1)).ShouldBeFalse("a first timeout after an hour of deliveries is not a stall");
    }
}
