namespace RestMan.Inventory.Model;

public sealed record StockItem(
    Guid Id, Guid RestaurantId, string Name, string Sku, string Unit, decimal OnHand, decimal Reserved,
    decimal Minimum, decimal ReorderLevel, decimal UnitCost, Guid? SupplierId, int LeadTimeDays, bool LowAlerted, bool Depleted)
{
    public decimal Available => OnHand - Reserved;
}

/// <summary>One line of the ledger to write: what moved, why, and on whose account.</summary>
public sealed record StockMove(
    Guid StockItemId, string Kind, decimal OnHandChange, decimal ReservedChange,
    string? Reason = null, Guid? OrderId = null, Guid? FoodId = null, Guid? PurchaseOrderId = null, Guid? ActorUserId = null, decimal? UnitCost = null);

/// <summary>The ledger's kinds: the first three are the owner's adjustments, the rest follow orders and deliveries.</summary>
public static class MoveKinds
{
    public const string Count = "count";
    public const string Reserve = "reserve";
    public const string Release = "release";
    public const string Consume = "consume";
    public const string Receive = "receive";
}

public sealed record RecipeLine(Guid FoodId, Guid? OptionId, Guid StockItemId, decimal Quantity);

/// <summary>An order line as Inventory needs it: the food, how many, the options chosen.</summary>
public sealed record OrderedLine(int LineNo, Guid FoodId, int Quantity, IReadOnlyList<Guid> OptionIds);

public sealed record Supplier(Guid Id, Guid RestaurantId, string Name, string? ContactName, string? Email, string? Phone);

public sealed record PurchaseOrderLine(Guid StockItemId, string ItemName, string Unit, decimal Quantity, decimal UnitCost, decimal Received);

public sealed record PurchaseOrder(
    Guid Id, Guid RestaurantId, Guid SupplierId, string SupplierName, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, IReadOnlyList<PurchaseOrderLine> Lines);

public static class PurchaseOrderStatus
{
    public const string Draft = "DRAFT";
    public const string Sent = "SENT";
    public const string PartiallyReceived = "PARTIALLY_RECEIVED";
    public const string Received = "RECEIVED";
}
