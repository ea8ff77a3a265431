using System.ComponentModel.DataAnnotations;

namespace RestMan.Inventory.Model;

// Request and response bodies of the Inventory API; snake_case on the wire (ServiceDefaults' JSON options).

/// <summary>The whole item; on a change <c>restaurant_id</c> must stay the item's own (an item never moves restaurants).</summary>
[OpenApiExample("""{"restaurant_id": "7d4a1c2e-0000-4000-8000-000000000001", "name": "Mozzarella", "sku": "MOZ-1", "unit": "g", "minimum": 200, "reorder_level": 300, "unit_cost": 0.012, "lead_time_days": 2}""")]
public sealed record SaveStockItemRequest(
    [property: Required] string? RestaurantId, [property: Required] string? Name, [property: Required] string? Sku, [property: Required] string? Unit,
    decimal? Minimum, decimal? ReorderLevel, decimal? UnitCost, string? SupplierId, int? LeadTimeDays);

/// <summary><c>available</c> is on hand less what open orders reserved; <c>days_left</c> at the average daily usage, when known.</summary>
public sealed record StockItemResponse(
    Guid Id, Guid RestaurantId, string Name, string Sku, string Unit, decimal OnHand, decimal Reserved, decimal Available,
    decimal Minimum, decimal ReorderLevel, decimal UnitCost, Guid? SupplierId, int LeadTimeDays, bool Low, bool Depleted,
    decimal AverageDailyUsage, decimal? DaysLeft)
{
    public static StockItemResponse From(StockItem item, decimal averageDailyUsage) => new(
        item.Id, item.RestaurantId, item.Name, item.Sku, item.Unit, item.OnHand, item.Reserved, item.Available, item.Minimum,
        item.ReorderLevel, item.UnitCost, item.SupplierId, item.LeadTimeDays, StockRules.IsLow(item.Available, item.ReorderLevel),
        StockRules.IsDepleted(item.Available), averageDailyUsage, StockRules.DaysLeft(item.Available, averageDailyUsage));
}

/// <summary>A stock count: what is really on the shelf; the difference goes to the ledger as a count.</summary>
[OpenApiExample("""{"counted": 1000, "reason": "Monday count"}""")]
public sealed record StockCountRequest([property: Required] decimal? Counted, string? Reason);

/// <summary>waste and staff_meal take <c>quantity</c> off the shelf; a correction adds it (negative takes off).</summary>
[OpenApiExample("""{"kind": "waste", "quantity": 150, "reason": "dropped tray"}""")]
public sealed record StockAdjustmentRequest([property: Required] string? Kind, [property: Required] decimal? Quantity, [property: Required] string? Reason);

public sealed record StockMovementResponse(
    string Kind, decimal OnHandChange, decimal ReservedChange, decimal UnitCost, string? Reason, Guid? OrderId, Guid? FoodId,
    Guid? PurchaseOrderId, Guid? ActorUserId, DateTimeOffset At);

/// <summary>A food's recipe per portion; lines with an <c>option_id</c> are what that modifier option adds.</summary>
[OpenApiExample("""{"restaurant_id": "7d4a1c2e-0000-4000-8000-000000000001", "lines": [{"stock_item_id": "5b1f7a4e-0000-4000-8000-000000000002", "quantity": 120}]}""")]
public sealed record SaveRecipeRequest([property: Required] string? RestaurantId, [property: Required] IReadOnlyList<RecipeLineRequest?>? Lines);

public sealed record RecipeLineRequest(string? StockItemId, decimal? Quantity, string? OptionId);

public sealed record RecipeResponse(Guid FoodId, Guid RestaurantId, IReadOnlyList<RecipeLineResponse> Lines);

public sealed record RecipeLineResponse(Guid StockItemId, string ItemName, string Unit, decimal Quantity, Guid? OptionId);

[OpenApiExample("""{"restaurant_id": "7d4a1c2e-0000-4000-8000-000000000001", "name": "Caseificio Rossi", "contact_name": "Anna Rossi", "email": "orders@rossi.example", "phone": "+39 06 1234"}""")]
public sealed record SaveSupplierRequest([property: Required] string? RestaurantId, [property: Required] string? Name, string? ContactName, string? Email, string? Phone);

public sealed record SupplierResponse(Guid Id, Guid RestaurantId, string Name, string? ContactName, string? Email, string? Phone)
{
    public static SupplierResponse From(Supplier s) => new(s.Id, s.RestaurantId, s.Name, s.ContactName, s.Email, s.Phone);
}

/// <summary>Drafts a purchase order to the supplier from its items (and those with no supplier) below their reorder level.</summary>
[OpenApiExample("""{"supplier_id": "3c9e0b1d-0000-4000-8000-000000000003"}""")]
public sealed record DraftPurchaseOrderRequest([property: Required] string? SupplierId);

[OpenApiExample("""{"lines": [{"stock_item_id": "5b1f7a4e-0000-4000-8000-000000000002", "quantity": 2000, "unit_cost": 0.011}]}""")]
public sealed record ReceivePurchaseOrderRequest([property: Required] IReadOnlyList<ReceivedLineRequest?>? Lines);

public sealed record ReceivedLineRequest(string? StockItemId, decimal? Quantity, decimal? UnitCost);

public sealed record PurchaseOrderResponse(
    Guid Id, Guid RestaurantId, Guid SupplierId, string SupplierName, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, IReadOnlyList<PurchaseOrderLine> Lines, decimal Total)
{
    public static PurchaseOrderResponse From(PurchaseOrder o) => new(o.Id, o.RestaurantId, o.SupplierId, o.SupplierName, o.Status,
        o.CreatedAt, o.SentAt, o.ReceivedAt, o.Lines, Math.Round(o.Lines.Sum(l => l.Quantity * l.UnitCost), 2));
}

/// <summary>Per day and food: what its portions used at the cost of the day; waste per day; <c>cost_of_goods</c> in total.</summary>
public sealed record UsageReportResponse(
    Guid RestaurantId, DateOnly From, DateOnly To, IReadOnlyList<FoodUsageRow> Foods, IReadOnlyList<WasteRow> Waste, decimal CostOfGoods, decimal WasteCost);

public sealed record FoodUsageRow(DateOnly Day, Guid FoodId, Guid StockItemId, string ItemName, string Unit, decimal Quantity, decimal Cost);

public sealed record WasteRow(DateOnly Day, Guid StockItemId, string ItemName, string Unit, string Kind, decimal Quantity, decimal Cost);
