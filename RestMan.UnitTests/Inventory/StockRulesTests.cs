extern alias InventoryService;

using InventoryService::RestMan.Inventory.Model;

namespace RestMan.UnitTests.Inventory;

/// <summary>The store room's pure rules: when a food is sold out, when an item is low, what to reorder.</summary>
[Trait("Category", "Unit")]
public sealed class StockRulesTests
{
    [Theory]
    [InlineData(120, true)]   // exactly one portion left: still sold
    [InlineData(119.999, false)]
    [InlineData(0, false)]
    [InlineData(-80, false)]  // overcommitted by orders that came in together
    public void A_food_sells_while_every_item_covers_one_more_portion(decimal available, bool sells)
    {
        var shortOf = StockRules.ShortOf([new PortionNeed("Mozzarella", 120m, available), new PortionNeed("Flour", 200m, 5000m)]);
        (shortOf.Count == 0).ShouldBe(sells);
        if (!sells) shortOf.ShouldBe(["Mozzarella"]);
    }

    [Fact]
    public void A_food_without_a_recipe_is_never_short() => StockRules.ShortOf([]).ShouldBeEmpty();

    [Theory]
    [InlineData(300, 300, true)]
    [InlineData(301, 300, false)]
    [InlineData(0, 0, false)] // a reorder level of 0 means "never warn"
    public void An_item_is_low_at_its_reorder_level(decimal available, decimal reorderLevel, bool low) =>
        StockRules.IsLow(available, reorderLevel).ShouldBe(low);

    [Fact]
    public void The_suggested_order_covers_the_lead_time_s_usage_above_the_reorder_level_in_whole_units()
    {
        StockRules.SuggestedQuantity(available: 40m, reorderLevel: 300m, averageDailyUsage: 8.571m, leadTimeDays: 2).ShouldBe(278m);
        StockRules.SuggestedQuantity(available: 40m, reorderLevel: 300m, averageDailyUsage: 0m, leadTimeDays: 2).ShouldBe(560m);
        StockRules.SuggestedQuantity(available: 5000m, reorderLevel: 300m, averageDailyUsage: 10m, leadTimeDays: 2).ShouldBe(0m);
    }

    [Fact]
    public void A_delivery_makes_the_cost_the_weighted_average_and_days_left_follow_usage()
    {
        StockRules.AverageCost(onHand: 1000m, unitCost: 0.010m, received: 1000m, receivedCost: 0.014m).ShouldBe(0.012m);
        StockRules.AverageCost(onHand: -50m, unitCost: 0.010m, received: 100m, receivedCost: 0.020m).ShouldBe(0.020m);
        StockRules.DaysLeft(available: 300m, averageDailyUsage: 120m).ShouldBe(2.5m);
        StockRules.DaysLeft(available: 300m, averageDailyUsage: 0m).ShouldBeNull();
    }
}
