extern alias KitchenService;

using KitchenService::RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace RestMan.UnitTests.Kitchen;

/// <summary>The pass's pure rules: priority order, typical prep time, delay thresholds, estimates; the events' wire shape.</summary>
[Trait("Category", "Unit")]
public sealed class KitchenPassRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static KitchenTicket Ticket(string priority, int minutesAgo) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.Empty, "dine_in", null, TicketStatus.New, Noon, Noon.AddMinutes(-minutesAgo), Noon, null) { Priority = priority };

    [Fact]
    public void Urgent_tickets_come_first_then_high_then_the_oldest()
    {
        var oldNormal = Ticket("normal", 30);
        var newNormal = Ticket("normal", 1);
        var oldHigh = Ticket("high", 20);
        var newHigh = Ticket("high", 2);
        var urgent = Ticket("urgent", 0);
        TicketPriority.InWorkOrder([newNormal, oldNormal, newHigh, urgent, oldHigh]).ShouldBe([urgent, oldHigh, newHigh, oldNormal, newNormal]);
        TicketPriority.Rank("bogus").ShouldBe(TicketPriority.Rank(TicketPriority.Normal));
        TicketPriority.IsKnown("URGENT").ShouldBeFalse("the API takes any case but stores lower case");
    }

    [Fact]
    public void Among_equals_the_first_ordered_comes_first_even_when_its_ticket_opened_later()
    {
        // Two orders on different partitions: the kitchen opened the second one's ticket a moment before the first's.
        var firstOrdered = Ticket("normal", 0) with { PlacedAt = Noon.AddSeconds(-2) };
        var secondOrdered = Ticket("normal", 1) with { PlacedAt = Noon.AddSeconds(-1) };
        TicketPriority.InWorkOrder([secondOrdered, firstOrdered]).ShouldBe([firstOrdered, secondOrdered]);
    }

    [Fact]
    public void The_typical_prep_time_is_the_median_of_the_lines_history()
    {
        TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);
        PrepTimes.Median([]).ShouldBeNull();
        PrepTimes.Median([M(7)]).ShouldBe(M(7));
        PrepTimes.Median([M(30), M(5), M(9)]).ShouldBe(M(9), "one slow evening does not move it");
        PrepTimes.Median([M(4), M(10), M(8), M(6)]).ShouldBe(M(7));
        PrepTimes.Minutes(TimeSpan.FromSeconds(20)).ShouldBe(1);
        PrepTimes.Minutes(TimeSpan.FromSeconds(690)).ShouldBe(12);

        // Started then bumped: the cooking time; bumped at once: from the ticket's opening.
        PrepTimes.Of(Noon, Noon.AddMinutes(3), Noon.AddMinutes(11)).ShouldBe(M(8));
        PrepTimes.Of(Noon, Noon.AddMinutes(6), Noon.AddMinutes(6)).ShouldBe(M(6));
        PrepTimes.Of(Noon, null, Noon.AddMinutes(4)).ShouldBe(M(4));
        PrepTimes.Of(Noon, null, null).ShouldBeNull();
    }

    [Fact]
    public void A_ticket_is_late_past_its_station_s_threshold_else_its_restaurant_s_else_the_default()
    {
        DelayRules.ThresholdSeconds(120, 600).ShouldBe(120);
        DelayRules.ThresholdSeconds(null, 600).ShouldBe(600);
        DelayRules.ThresholdSeconds(null, null).ShouldBe(DelayRules.DefaultThresholdSeconds);
        DelayRules.IsLate(TicketStatus.InProgress, Noon, 60, Noon.AddSeconds(59)).ShouldBeFalse();
        DelayRules.IsLate(TicketStatus.InProgress, Noon, 60, Noon.AddSeconds(60)).ShouldBeTrue();
        DelayRules.IsLate(TicketStatus.Ready, Noon, 60, Noon.AddHours(1)).ShouldBeFalse("done is never late");
    }

    [Fact]
    public void An_estimate_comes_with_accepting_in_minutes_or_as_a_time_and_each_refusal_names_its_field()
    {
        var rules = new InputRules();
        Estimates.Read(rules, TicketStatus.Accepted, 15, null, Noon).ShouldBe(Noon.AddMinutes(15));
        Estimates.Read(rules, TicketStatus.Accepted, null, "2026-03-14T12:40:00Z", Noon).ShouldBe(Noon.AddMinutes(40));
        Estimates.Read(rules, TicketStatus.Accepted, null, null, Noon).ShouldBeNull();
        rules.IsValid.ShouldBeTrue();

        void Refused(string target, int? minutes, string? at, string field)
        {
            var refused = new InputRules();
            Estimates.Read(refused, target, minutes, at, Noon).ShouldBeNull();
            refused.Errors.Keys.ShouldBe([field]);
        }
        Refused(TicketStatus.InProgress, 10, null, "estimated_minutes");
        Refused(TicketStatus.Accepted, 0, null, "estimated_minutes");
        Refused(TicketStatus.Accepted, 601, null, "estimated_minutes");
        Refused(TicketStatus.Accepted, null, "2026-03-14T11:00:00Z", "estimated_ready_at");
        Refused(TicketStatus.Accepted, null, "soon", "estimated_ready_at");
        Refused(TicketStatus.Accepted, 5, "2026-03-14T12:40:00Z", "estimated_ready_at");
    }

    [Fact]
    public void The_folded_events_keep_their_wire_shape()
    {
        var ticket = Guid.NewGuid();
        var step = KitchenTicketStep.Create<KitchenTicketReady>(ticket, Guid.NewGuid(), Guid.NewGuid(), 2, true, "READY", "IN_PROGRESS", null, Noon);
        var json = JsonSerializer.SerializeToElement(step, typeof(KitchenTicketReady), MessagingJson.Options);
        json.EnumerateObject().Select(p => p.Name).Order().ShouldBe(
            new[] { "ticket_id", "order_id", "restaurant_id", "round", "table_order", "ticket_status", "round_status", "changed_by_user_id", "at" }.Order());
        json.GetProperty("at").GetString().ShouldBe("2026-03-14T12:00:00Z");
        JsonSerializer.Deserialize<KitchenTicketReady>(json.GetRawText(), MessagingJson.Options).ShouldBe(step);
        KitchenTicketReady.EventType.ShouldBe("kitchen.ticket_ready");

        var bumped = KitchenItemWork.Create<KitchenItemBumped>(ticket, Guid.NewGuid(), Guid.NewGuid(), 1, 2, 5, Guid.NewGuid(), Noon);
        JsonSerializer.SerializeToElement(bumped, typeof(KitchenItemBumped), MessagingJson.Options).EnumerateObject().Select(p => p.Name).Order().ShouldBe(
            new[] { "ticket_id", "order_id", "restaurant_id", "round", "line_no", "order_line_no", "changed_by_user_id", "at" }.Order());
        EventCatalog.Of<KitchenTicketDelayed>().Topic.ShouldBe("kitchen.events");
        EventCatalog.Of<KitchenTicketPrioritized>().EventType.ShouldBe("kitchen.ticket_prioritized");

        // An accepted step from before estimates still reads.
        var old = """{"ticket_id":"5d0a1c1e-9a4b-4a57-9d51-5f1bfa1b7e01","order_id":"5d0a1c1e-9a4b-4a57-9d51-5f1bfa1b7e02","restaurant_id":"5d0a1c1e-9a4b-4a57-9d51-5f1bfa1b7e03","round":1,"table_order":false,"ticket_status":"ACCEPTED","round_status":"ACCEPTED","changed_by_user_id":null,"at":"2026-03-14T12:00:00Z"}""";
        var accepted = JsonSerializer.Deserialize<KitchenTicketAccepted>(old, MessagingJson.Options)!;
        accepted.RoundStatus.ShouldBe("ACCEPTED");
        accepted.EstimatedReadyAt.ShouldBeNull();
    }
}
