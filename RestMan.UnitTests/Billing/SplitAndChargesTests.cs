extern alias BillingService;

using BillingService::RestMan.Billing.Model;

namespace RestMan.UnitTests.Billing;

/// <summary>How a bill's amounts follow from its terms (discount, service charge, tax) and how a split shares them out.</summary>
[Trait("Category", "Unit")]
public sealed class SplitAndChargesTests
{
    private static BillLine Line(int no, decimal total, bool removed = false) => new(no, Guid.NewGuid(), $"Dish {no}", 1, total, removed);

    [Fact]
    public void The_discount_comes_off_before_tax_and_the_service_charge_is_apart_from_the_tax()
    {
        var ten = BillCalculator.Compute(46.75m, new BillTerms(0.10m, DiscountKind: DiscountKind.Percent, DiscountValue: 10m));
        (ten.DiscountAmount, ten.TaxAmount, ten.ServiceCharge, ten.TotalAmount).ShouldBe((4.68m, 4.21m, 0m, 46.28m));

        var party = BillCalculator.Compute(25.00m, new BillTerms(0.08m, 0.125m, ServiceChargeMinCovers: 6, Covers: 6));
        (party.ServiceCharge, party.TaxAmount, party.TotalAmount).ShouldBe((3.13m, 2.00m, 30.13m));
        BillCalculator.Compute(25.00m, new BillTerms(0.08m, 0.125m, ServiceChargeMinCovers: 6, Covers: 5)).ServiceCharge.ShouldBe(0m);
        BillCalculator.Compute(25.00m, new BillTerms(0.08m, 0.125m, ServiceChargeMinCovers: 6, Covers: null)).ServiceCharge.ShouldBe(0m);
        BillCalculator.Compute(25.00m, new BillTerms(0.08m, 0.125m)).ServiceCharge.ShouldBe(3.13m);

        // A fixed discount never takes the bill below zero.
        BillCalculator.Compute(4.00m, new BillTerms(0.10m, DiscountKind: DiscountKind.Fixed, DiscountValue: 5m)).TotalAmount.ShouldBe(0m);
        // The old terms (tax only) give what they always gave.
        BillCalculator.Compute(27.35m, new BillTerms(0.10m)).ShouldBe(BillCalculator.Compute(27.35m, 0.10m, 0m));
    }

    [Theory]
    [InlineData(30.13, 3, new[] { 10.05, 10.04, 10.04 })]
    [InlineData(10.00, 4, new[] { 2.50, 2.50, 2.50, 2.50 })]
    [InlineData(0.05, 2, new[] { 0.03, 0.02 })]
    public void An_even_split_adds_up_to_the_total_to_the_cent(decimal total, int guests, double[] expected)
    {
        var parts = SplitRules.Evenly(total, guests);
        parts.Select(p => (double)p.Amount).ShouldBe(expected);
        parts.Sum(p => p.Amount).ShouldBe(total);
    }

    [Fact]
    public void A_split_by_items_shares_the_total_by_each_parts_lines_and_adds_up_to_the_cent()
    {
        BillLine[] lines = [Line(1, 12.50m), Line(2, 7.25m), Line(3, 12.50m), Line(4, 14.50m)];
        var parts = SplitRules.ByItems(46.28m, lines, [[1, 2], [3], [4]]);
        parts.Select(p => p.Amount).ShouldBe([19.55m, 12.37m, 14.36m]);
        parts.Sum(p => p.Amount).ShouldBe(46.28m);
        parts[0].LineNos.ShouldBe([1, 2]);
    }

    [Fact]
    public void Every_line_still_on_the_bill_is_in_exactly_one_part()
    {
        BillLine[] lines = [Line(1, 10m), Line(2, 5m), Line(3, 5m, removed: true)];
        SplitRules.WhyNot(lines, [[1], [2]]).ShouldBeNull();
        SplitRules.WhyNot(lines, [[1, 2]]).ShouldNotBeNull();
        SplitRules.WhyNot(lines, [[1], [2, 3]])!.ShouldContain("line 3");
        SplitRules.WhyNot(lines, [[1], [1, 2]])!.ShouldContain("more than once");
        SplitRules.WhyNot(lines, [[1], [9]])!.ShouldContain("line 9");
        SplitRules.WhyNot(lines, [[1], []])!.ShouldContain("at least one line");
        SplitRules.WhyNot([Line(1, 10m), Line(2, 5m), Line(4, 1m)], [[1], [2]])!.ShouldContain("leave out line 4");
    }
}
