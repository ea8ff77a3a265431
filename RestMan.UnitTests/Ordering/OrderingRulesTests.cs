extern alias BillingService;
extern alias KitchenService;
extern alias OrdersService;

using BillingService::RestMan.Billing.Model;
using Microsoft.Extensions.Hosting;
using KitchenService::RestMan.Kitchen.Model;
using OrdersService::RestMan.Orders.Infrastructure;
using OrdersService::RestMan.Orders.Model;

namespace RestMan.UnitTests.Ordering;

/// <summary>The pure rules of the ordering pipeline: status machines, money rounding, bill amounts.</summary>
[Trait("Category", "Unit")]
public sealed class OrderingRulesTests
{
    private static readonly Func<string, string, bool> OrderCanMove = OrderStatusMachine.CanMove;
    private static readonly Func<string, string, bool> CustomerCanMove = OrderStatusMachine.CustomerCanMove;
    private static readonly Func<string, string, bool> CanFollowKitchen = OrderStatusMachine.CanFollowKitchen;
    private static readonly Func<string, string?> FromTicketStatus = OrderStatusMachine.FromTicketStatus;
    private static readonly Func<string, string, bool> TicketCanMove = TicketStatusMachine.CanMove;
    private static readonly Func<string, bool> TicketCanCancel = TicketStatusMachine.CanCancel;

    private static readonly string[] OrderStatuses = ["PLACED", "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED", "CANCELLED"];
    private static readonly string[] TicketStatuses = ["NEW", "ACCEPTED", "IN_PROGRESS", "READY", "DELIVERED_TO_SERVICE", "CANCELLED"];

    [Fact]
    public void An_owner_moves_an_order_one_step_at_a_time_or_cancels_it_before_it_is_ready()
    {
        string[] allowed =
        [
            "PLACED>ACCEPTED", "ACCEPTED>IN_PROGRESS", "IN_PROGRESS>READY", "READY>COMPLETED",
            "PLACED>CANCELLED", "ACCEPTED>CANCELLED", "IN_PROGRESS>CANCELLED",
        ];
        foreach (var from in OrderStatuses)
            foreach (var to in OrderStatuses)
                OrderCanMove(from, to).ShouldBe(allowed.Contains($"{from}>{to}"), $"{from} → {to}");
    }

    [Fact]
    public void A_customer_may_only_cancel_an_order_nobody_accepted_yet()
    {
        foreach (var from in OrderStatuses)
            foreach (var to in OrderStatuses)
                CustomerCanMove(from, to).ShouldBe(from == "PLACED" && to == "CANCELLED", $"{from} → {to}");
    }

    [Fact]
    public void Kitchen_ticket_statuses_map_onto_order_statuses_and_delivered_to_service_completes_the_order()
    {
        FromTicketStatus("ACCEPTED").ShouldBe("ACCEPTED");
        FromTicketStatus("IN_PROGRESS").ShouldBe("IN_PROGRESS");
        FromTicketStatus("READY").ShouldBe("READY");
        FromTicketStatus("DELIVERED_TO_SERVICE").ShouldBe("COMPLETED");
        FromTicketStatus("NEW").ShouldBeNull();
        FromTicketStatus("CANCELLED").ShouldBeNull();
        FromTicketStatus("COMPLETED").ShouldBeNull();
    }

    [Fact]
    public void The_kitchen_only_moves_an_order_forward_and_never_out_of_a_final_status()
    {
        CanFollowKitchen("PLACED", "ACCEPTED").ShouldBeTrue();
        CanFollowKitchen("ACCEPTED", "IN_PROGRESS").ShouldBeTrue();
        CanFollowKitchen("PLACED", "IN_PROGRESS").ShouldBeTrue("a step the owner never recorded is passed");
        CanFollowKitchen("READY", "COMPLETED").ShouldBeTrue();
        CanFollowKitchen("ACCEPTED", "ACCEPTED").ShouldBeFalse("the owner already recorded it");
        CanFollowKitchen("IN_PROGRESS", "ACCEPTED").ShouldBeFalse("a stale step never moves an order back");
        CanFollowKitchen("CANCELLED", "READY").ShouldBeFalse();
        CanFollowKitchen("COMPLETED", "COMPLETED").ShouldBeFalse();
    }

    [Fact]
    public void Staff_move_a_ticket_one_step_along_its_path_and_a_cancelled_order_cancels_an_undelivered_ticket()
    {
        string[] allowed = ["NEW>ACCEPTED", "ACCEPTED>IN_PROGRESS", "IN_PROGRESS>READY", "READY>DELIVERED_TO_SERVICE"];
        foreach (var from in TicketStatuses)
            foreach (var to in TicketStatuses)
                TicketCanMove(from, to).ShouldBe(allowed.Contains($"{from}>{to}"), $"{from} → {to}");

        TicketStatuses.Where(TicketCanCancel).ShouldBe(["NEW", "ACCEPTED", "IN_PROGRESS", "READY"]);
    }

    [Theory]
    [InlineData("0.125", "0.13")]
    [InlineData("-0.125", "-0.13")]
    [InlineData("2.675", "2.68")]
    [InlineData("2.665", "2.67")]
    [InlineData("2.6649", "2.66")]
    [InlineData("10", "10.00")]
    public void Money_is_rounded_to_cents_half_away_from_zero(string amount, string expected)
    {
        Money.Round(decimal.Parse(amount)).ShouldBe(decimal.Parse(expected));
    }

    [Fact]
    public void Line_totals_are_unit_price_times_quantity_in_cents()
    {
        Money.LineTotal(200.00m, 2).ShouldBe(400.00m);
        Money.LineTotal(0.335m, 3).ShouldBe(1.01m); // 1.005 rounds up, not to the even 1.00
    }

    [Theory]
    [InlineData("450.00", "0.10", "0", "450.00", "45.00", "0.00", "495.00")]
    [InlineData("12.35", "0.10", "0", "12.35", "1.24", "0.00", "13.59")] // 1.235 tax rounds half up
    [InlineData("0.05", "0.10", "0", "0.05", "0.01", "0.00", "0.06")] // 0.005 tax rounds half up
    [InlineData("100.00", "0.08", "10.00", "100.00", "7.20", "10.00", "97.20")] // tax on what is paid for
    [InlineData("5.00", "0.10", "8.00", "5.00", "0.00", "5.00", "0.00")] // a discount never makes the total negative
    public void A_bill_adds_tax_on_the_discounted_subtotal_rounded_to_cents(
        string subtotal, string rate, string discount, string expectedSubtotal, string expectedTax, string expectedDiscount, string expectedTotal)
    {
        var bill = BillCalculator.Compute(decimal.Parse(subtotal), decimal.Parse(rate), decimal.Parse(discount));
        bill.Subtotal.ShouldBe(decimal.Parse(expectedSubtotal));
        bill.TaxAmount.ShouldBe(decimal.Parse(expectedTax));
        bill.DiscountAmount.ShouldBe(decimal.Parse(expectedDiscount));
        bill.TotalAmount.ShouldBe(decimal.Parse(expectedTotal));
    }

    [Fact]
    public void A_move_is_recorded_after_the_orders_last_change_whatever_clock_asked_for_it()
    {
        var t = new DateTimeOffset(2025, 3, 1, 12, 0, 5, TimeSpan.Zero);
        var microsecond = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

        // The kitchen's DELIVERED_TO_SERVICE at 5.0 arrives after the owner's READY at 5.1: it lands just after READY.
        DatabaseTime.NextChange(t, t.AddMilliseconds(100)).ShouldBe(t.AddMilliseconds(100) + microsecond);
        DatabaseTime.NextChange(t, t).ShouldBe(t + microsecond, "two moves never share a time");
        DatabaseTime.NextChange(t.AddSeconds(1), t).ShouldBe(t.AddSeconds(1), "a later time is kept");
        DatabaseTime.NextChange(t.AddTicks(15), t.AddTicks(-20)).ShouldBe(t.AddTicks(10), "stored at microseconds");
        DatabaseTime.NextChange(t, t.AddTicks(25)).ShouldBe(t.AddTicks(30), "after the stored last change");
    }
}
