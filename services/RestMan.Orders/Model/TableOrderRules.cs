namespace RestMan.Orders.Model;

/// <summary>The rules a table order's changes follow.</summary>
public static class TableOrderRules
{
    public const int MaxCovers = 100;

    /// <summary>Why a table order can no longer change (it is paid, cancelled or merged away), or null while it is open.</summary>
    public static string? WhyClosed(Order order) => order.Status switch
    {
        OrderStatus.Completed => "is paid and closed",
        OrderStatus.Cancelled when order.MergedIntoOrderId is { } into => $"was merged into order {into}",
        OrderStatus.Cancelled => "was cancelled",
        _ => null,
    };

    /// <summary>A line may come off only while the kitchen has not started its round (its ticket is still NEW).</summary>
    public static bool CanRemove(string roundKitchenStatus) => roundKitchenStatus == "NEW";
}
