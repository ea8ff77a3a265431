extern alias OrdersService;

using OrdersService::RestMan.Orders.Model;

namespace RestMan.UnitTests.Floor;

/// <summary>The pure rules of dine-in service: a table's status path, what a table order may still do, order numbers.</summary>
[Trait("Category", "Unit")]
public sealed class FloorRulesTests
{
    private static readonly string[] Statuses = ["AVAILABLE", "OCCUPIED", "NEEDS_CLEANING", "RESERVED"];

    [Fact]
    public void A_table_goes_available_occupied_needs_cleaning_available_and_reserved_holds_it_for_a_party()
    {
        (string, string)[] allowed =
        [
            ("AVAILABLE", "OCCUPIED"), ("AVAILABLE", "RESERVED"),
            ("RESERVED", "OCCUPIED"), ("RESERVED", "AVAILABLE"),
            ("OCCUPIED", "NEEDS_CLEANING"),
            ("NEEDS_CLEANING", "AVAILABLE"),
        ];
        foreach (var from in Statuses)
            foreach (var to in Statuses)
                TableStatus.CanMove(from, to).ShouldBe(allowed.Contains((from, to)), $"{from} → {to}");
    }

    [Fact]
    public void Staff_never_seat_or_free_a_table_by_hand_only_an_order_does()
    {
        foreach (var from in Statuses)
        {
            TableStatus.CanSetByHand(from, "OCCUPIED").ShouldBeFalse(from);
            TableStatus.CanSetByHand("OCCUPIED", from).ShouldBeFalse(from);
        }
        TableStatus.CanSetByHand("NEEDS_CLEANING", "AVAILABLE").ShouldBeTrue();
        TableStatus.CanSetByHand("AVAILABLE", "RESERVED").ShouldBeTrue();
        TableStatus.CanSetByHand("RESERVED", "AVAILABLE").ShouldBeTrue();
        TableStatus.CanSetByHand("NEEDS_CLEANING", "RESERVED").ShouldBeFalse();
    }

    [Fact]
    public void Only_a_free_or_reserved_table_takes_a_new_party()
    {
        Statuses.Where(TableStatus.CanSeat).ShouldBe(["AVAILABLE", "RESERVED"]);
    }

    [Fact]
    public void A_paid_cancelled_or_merged_order_is_closed_and_says_why()
    {
        var now = DateTimeOffset.UnixEpoch;
        Order Order(string status, Guid? mergedInto = null) =>
            new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "dine_in", status, 0m, null, null, now, now, null, null)
            {
                TableId = Guid.NewGuid(),
                MergedIntoOrderId = mergedInto,
            };

        foreach (var open in new[] { "PLACED", "ACCEPTED", "IN_PROGRESS", "READY" }) TableOrderRules.WhyClosed(Order(open)).ShouldBeNull(open);
        TableOrderRules.WhyClosed(Order("COMPLETED"))!.ShouldContain("paid");
        TableOrderRules.WhyClosed(Order("CANCELLED"))!.ShouldContain("cancelled");
        var into = Guid.NewGuid();
        TableOrderRules.WhyClosed(Order("CANCELLED", into))!.ShouldContain($"merged into order {into}");
    }

    [Fact]
    public void A_line_comes_off_only_while_the_kitchen_has_not_started_its_round()
    {
        TableOrderRules.CanRemove("NEW").ShouldBeTrue();
        foreach (var started in new[] { "ACCEPTED", "IN_PROGRESS", "READY", "DELIVERED_TO_SERVICE", "CANCELLED" })
            TableOrderRules.CanRemove(started).ShouldBeFalse(started);
    }

    [Theory]
    [InlineData(1, "A-001")]
    [InlineData(42, "A-042")]
    [InlineData(999, "A-999")]
    [InlineData(1000, "B-001")]
    [InlineData(1998, "B-999")]
    [InlineData(25 * 999 + 1, "Z-001")]
    [InlineData(26 * 999 + 1, "Z-1000")]
    public void Order_numbers_are_a_letter_and_three_digits_then_the_next_letter(int sequence, string number) =>
        OrderNumberFormat.Format(sequence).ShouldBe(number);

    [Fact]
    public void Order_numbers_never_repeat_within_a_day()
    {
        var numbers = Enumerable.Range(1, 30_000).Select(OrderNumberFormat.Format).ToList();
        numbers.Distinct().Count().ShouldBe(numbers.Count);
    }

    [Fact]
    public void A_number_block_hands_out_its_numbers_once_each_then_is_used_up()
    {
        var block = new OrderNumberBlock(41, 3);
        block.Take().ShouldBe(41);
        block.Take().ShouldBe(42);
        block.Take().ShouldBe(43);
        block.Take().ShouldBeNull();
        block.Take().ShouldBeNull();
    }
}
