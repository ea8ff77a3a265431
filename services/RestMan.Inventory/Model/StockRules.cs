namespace RestMan.Inventory.Model;

/// <summary>One recipe line of a food as the store room stands: how much a portion takes, how much is there to take.</summary>
public readonly record struct PortionNeed(string ItemName, decimal PerPortion, decimal Available);

/// <summary>The store room's pure rules: sold out, alerts, what to reorder.</summary>
public static class StockRules
{
    public static readonly IReadOnlyList<string> Units = ["g", "kg", "ml", "l", "piece"];
    public static readonly IReadOnlyList<string> AdjustmentKinds = ["waste", "staff_meal", "correction"];

    /// <summary>The items that cannot cover one more portion; a food is sold out while any is.</summary>
    public static IReadOnlyList<string> ShortOf(IEnumerable<PortionNeed> needs) =>
        needs.Where(n => n.Available < n.PerPortion).Select(n => n.ItemName).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>Low once available reaches the reorder level (a level of 0 means "never warn").</summary>
    public static bool IsLow(decimal available, decimal reorderLevel) => reorderLevel > 0 && available <= reorderLevel;

    public static bool IsDepleted(decimal available) => available <= 0;

    /// <summary>
    /// What to order so the delivery, after the lead time's usage, leaves the reorder level standing: the average daily
    /// usage × lead time + reorder level − available; without usage history, twice the reorder level − available.
    /// Whole units, never negative.
    /// </summary>
    public static decimal SuggestedQuantity(decimal available, decimal reorderLevel, decimal averageDailyUsage, int leadTimeDays)
    {
        var target = averageDailyUsage > 0 ? averageDailyUsage * Math.Max(leadTimeDays, 1) + reorderLevel : 2 * reorderLevel;
        return Math.Max(0, Math.Ceiling(target - available));
    }

    /// <summary>Days the available stock lasts at the average daily usage; null without usage.</summary>
    public static decimal? DaysLeft(decimal available, decimal averageDailyUsage) =>
        averageDailyUsage > 0 ? Math.Round(Math.Max(available, 0) / averageDailyUsage, 1) : null;

    /// <summary>The weighted average cost once <paramref name="received"/> arrives at <paramref name="receivedCost"/> each.</summary>
    public static decimal AverageCost(decimal onHand, decimal unitCost, decimal received, decimal receivedCost)
    {
        var stock = Math.Max(onHand, 0);
        return stock + received <= 0 ? receivedCost : Math.Round((stock * unitCost + received * receivedCost) / (stock + received), 4);
    }
}
