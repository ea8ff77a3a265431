extern alias KitchenService;

using KitchenService::RestMan.Kitchen.Model;

namespace RestMan.UnitTests.Kitchen;

/// <summary>The kitchen's pure rules: routing lines to stations, a round's progress over its tickets, line work.</summary>
[Trait("Category", "Unit")]
public sealed class KitchenRulesTests
{
    private static readonly Guid Pizza = Guid.NewGuid(), Salad = Guid.NewGuid(), Cola = Guid.NewGuid(), Mains = Guid.NewGuid(), Drinks = Guid.NewGuid();

    private static KitchenTicketItem Item(Guid food, int line) => new(food, food.ToString()[..4], 1, line) { LineNo = line };

    [Fact]
    public void Lines_go_to_their_food_s_station_then_their_category_s_then_the_default_else_the_whole_kitchen()
    {
        var grill = new Station(Guid.NewGuid(), Guid.Empty, "Grill", false, [Mains], []);
        var bar = new Station(Guid.NewGuid(), Guid.Empty, "Drinks", false, [], [Cola]);
        RoutedLine[] lines = [new(Item(Pizza, 1), Mains), new(Item(Cola, 2), Drinks), new(Item(Salad, 3), null), new(Item(Pizza, 4), Mains)];

        var split = StationRouting.Split([grill, bar], lines);
        split.Select(g => (g.StationId, string.Join(",", g.Items.Select(i => i.OrderLineNo))))
            .ShouldBe([(grill.Id, "1,4"), (bar.Id, "2"), (StationRouting.WholeKitchen, "3")]);

        var salads = new Station(Guid.NewGuid(), Guid.Empty, "Salads", true, [], []);
        StationRouting.Split([grill, bar, salads], lines).Single(g => g.Items.Any(i => i.FoodId == Salad)).StationName.ShouldBe("Salads");
        StationRouting.Split([], lines).ShouldHaveSingleItem().StationId.ShouldBe(StationRouting.WholeKitchen);
    }

    [Theory]
    [InlineData("NEW,NEW", "NEW")]
    [InlineData("ACCEPTED,NEW", "ACCEPTED")]
    [InlineData("READY,IN_PROGRESS", "IN_PROGRESS")]
    [InlineData("READY,NEW", "IN_PROGRESS")]
    [InlineData("READY,READY", "READY")]
    [InlineData("DELIVERED_TO_SERVICE,READY", "READY")]
    [InlineData("DELIVERED_TO_SERVICE,CANCELLED", "DELIVERED_TO_SERVICE")]
    public void A_round_is_ready_only_when_every_live_ticket_is(string tickets, string round) =>
        TicketStatus.RoundProgress(tickets.Split(',')).ShouldBe(round);

    [Fact]
    public void A_ticket_starts_with_its_first_line_and_is_ready_with_its_last_live_one()
    {
        var now = DateTimeOffset.UnixEpoch;
        KitchenTicketItem[] lines = [Item(Pizza, 1), Item(Cola, 2), Item(Salad, 3) with { Voided = true }];
        TicketStatusMachine.AfterLineWork(TicketStatus.New, lines).ShouldBe(TicketStatus.New);
        lines[0] = lines[0] with { StartedAt = now };
        TicketStatusMachine.AfterLineWork(TicketStatus.Accepted, lines).ShouldBe(TicketStatus.InProgress);
        lines[0] = lines[0] with { BumpedAt = now };
        TicketStatusMachine.AfterLineWork(TicketStatus.InProgress, lines).ShouldBe(TicketStatus.InProgress);
        lines[1] = lines[1] with { BumpedAt = now };
        TicketStatusMachine.AfterLineWork(TicketStatus.InProgress, lines).ShouldBe(TicketStatus.Ready);
    }
}
