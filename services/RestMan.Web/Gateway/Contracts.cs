namespace RestMan.Web.Gateway;

// What the API answers, as the web app reads it (snake_case on the wire, ServiceDefaults' Json options).

public sealed record LoginResponse(string Token, Guid UserId, string Email, string Role, DateTimeOffset ExpiresAt);

public sealed record MailboxMessage(string To, string Subject, string Text, DateTimeOffset SentAt);

public sealed record Restaurant(Guid Id, string Name, string? Address, string? Phone, bool IsActive);

public sealed record Menu(Guid RestaurantId, string RestaurantName, IReadOnlyList<MenuCategory> Categories, IReadOnlyList<MenuFood> Uncategorized);

public sealed record MenuCategory(Guid Id, string Name, string? Description, int DisplayOrder, IReadOnlyList<MenuFood> Foods);

public sealed record MenuFood(
    Guid Id, string Name, string? Description, decimal Price, IReadOnlyList<ModifierGroup>? ModifierGroups = null,
    IReadOnlyList<string>? Allergens = null, IReadOnlyList<string>? Diets = null)
{
    public IReadOnlyList<ModifierGroup> Groups => ModifierGroups ?? [];
}

/// <summary>A food's choices: a guest picks between <c>MinChoices</c> and <c>MaxChoices</c> of its options.</summary>
public sealed record ModifierGroup(Guid Id, string Name, int MinChoices, int MaxChoices, IReadOnlyList<ModifierOption> Options);

public sealed record ModifierOption(Guid Id, string Name, decimal PriceDelta);

public sealed record Category(Guid Id, Guid RestaurantId, string Name, string? Description, int DisplayOrder);

/// <summary><c>SoldOut</c>: the store room cannot make one more portion; off the public menu until restocked, whatever <c>IsAvailable</c> says.</summary>
public sealed record Food(Guid Id, Guid RestaurantId, Guid? CategoryId, string Name, string? Description, decimal Price, bool IsAvailable,
    IReadOnlyList<ModifierGroup>? ModifierGroups = null, IReadOnlyList<string>? Allergens = null, IReadOnlyList<string>? Diets = null,
    bool SoldOut = false);

public sealed record StaffMember(Guid UserId, string Email, Guid RestaurantId, bool IsActive = true, DateTimeOffset? LastVerifiedAt = null);

public sealed record OrderLine(
    Guid FoodId, string FoodName, int Quantity, decimal UnitPrice, decimal LineTotal, int LineNo = 0, int Round = 1, string? KitchenStatus = null,
    IReadOnlyList<OrderLineOption>? Options = null, string? Note = null);

/// <summary>A modifier option chosen on an order line, with what it added to the unit price.</summary>
public sealed record OrderLineOption(Guid Id, string Group, string Name, decimal PriceDelta);

public sealed record Order(
    Guid Id, Guid UserId, Guid RestaurantId, string OrderType, string Status, decimal TotalPrice, string? Notes,
    string? DeliveryAddress, IReadOnlyList<OrderLine> Items, DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt, string? OrderNumber = null, Guid? TableId = null, int? Covers = null,
    int Rounds = 0, DateTimeOffset? EstimatedReadyAt = null);

/// <summary>A table of the restaurant's floor with its live status and the order seated there.</summary>
public sealed record DiningTable(Guid Id, Guid RestaurantId, int Number, int Capacity, string Section, string Status, Guid? CurrentOrderId);

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public sealed record TimelineStep(string Status, DateTimeOffset At, string? FromStatus, string ChangedBy);

public sealed record Timeline(Guid OrderId, string Status, IReadOnlyList<TimelineStep> Steps);

/// <summary>A ticket line; <c>Status</c> is NEW, IN_PROGRESS, READY (bumped) or VOIDED.</summary>
public sealed record TicketItem(
    Guid FoodId, string FoodName, int Quantity, bool Voided = false, int LineNo = 0, string Status = "NEW",
    IReadOnlyList<TicketItemOption>? Options = null, string? Note = null, IReadOnlyList<string>? Allergens = null);

public sealed record TicketItemOption(string Group, string Name);

/// <summary>A kitchen ticket: one per online order, one per round of a table order (with its table).</summary>
public sealed record Ticket(
    Guid Id, Guid OrderId, Guid RestaurantId, string OrderType, string? Notes, string Status, IReadOnlyList<TicketItem> Items,
    DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt, int Round = 1, string? OrderNumber = null, int? TableNumber = null,
    Guid? StationId = null, string? StationName = null, string Priority = "normal", DateTimeOffset? EstimatedReadyAt = null,
    DateTimeOffset? DelayedAt = null, DateTimeOffset? CreatedAt = null)
{
    /// <summary>0 urgent, 1 high, 2 normal: the display shows urgent first, then high, then by age.</summary>
    public int PriorityRank => Priority switch { "urgent" => 0, "high" => 1, _ => 2 };
}

/// <summary>A kitchen station (grill, drinks…) of a restaurant; its own delay threshold (seconds) when it has one.</summary>
public sealed record Station(Guid Id, Guid RestaurantId, string Name, bool IsDefault, int? DelayThresholdSeconds = null);

/// <summary>A food's typical prep time, learnt from the kitchen's history.</summary>
public sealed record PrepTime(Guid RestaurantId, Guid FoodId, string FoodName, int MedianSeconds, int TypicalMinutes, int Samples);

/// <summary>A restaurant's delay threshold (seconds); <c>IsDefault</c> when the owner set none.</summary>
public sealed record KitchenSettings(Guid RestaurantId, int DelayThresholdSeconds, bool IsDefault);

public sealed record Bill(
    Guid Id, Guid OrderId, Guid RestaurantId, decimal Subtotal, decimal TaxRate, decimal TaxAmount, decimal DiscountAmount,
    decimal TotalAmount, string Status, string? PaymentMethod, DateTimeOffset GeneratedAt, DateTimeOffset? PaidAt,
    DateTimeOffset? VoidedAt, bool RefundDue, decimal AmountPaid = 0m, decimal TipAmount = 0m, decimal BalanceDue = 0m,
    decimal ServiceChargeAmount = 0m, string? DiscountCode = null, string? DiscountReason = null, string? SplitKind = null,
    decimal AmountRefunded = 0m);

/// <summary>A payment towards a bill (status pending, authorized, captured, failed, refunded).</summary>
public sealed record BillPayment(
    Guid Id, decimal Amount, decimal Tip, string Method, string Status, string? FailureReason, string BillStatus, decimal BalanceDue, int? Part);

/// <summary>A receipt emailed on request: queued, sent or failed.</summary>
public sealed record ReceiptEmail(Guid Id, Guid BillId, string Email, string Status, int Attempts);

/// <summary>What a refund gave back through one payment.</summary>
public sealed record BillRefundPayment(Guid PaymentId, string Method, decimal Amount, string Status, string? FailureReason);

/// <summary>A refund of a bill (status pending, issued, failed), with the bill's status after it.</summary>
public sealed record BillRefund(
    Guid Id, decimal Amount, decimal AmountIssued, string Status, string? Reason, IReadOnlyList<BillRefundPayment> Payments,
    DateTimeOffset CreatedAt, string BillStatus, decimal BillAmountRefunded);

public sealed record SplitLine(int LineNo, string FoodName, int Quantity, decimal LineTotal, bool Removed);

public sealed record SplitPart(int Part, decimal Amount, decimal Paid, decimal BalanceDue, string Status, IReadOnlyList<int>? LineNos);

/// <summary>The bill's lines and, when split, its parts.</summary>
public sealed record BillSplit(Guid BillId, string BillStatus, string? SplitKind, decimal TotalAmount, IReadOnlyList<SplitLine> Lines, IReadOnlyList<SplitPart> Parts);

/// <summary>A line as sent to Orders: the food, how many, the option ids chosen and a note for the kitchen.</summary>
public sealed record CartLine(Guid FoodId, int Quantity, IReadOnlyList<Guid>? Options = null, string? Note = null);

public sealed record NewOrder(Guid RestaurantId, string OrderType, IReadOnlyList<CartLine> Items, string? Notes, string? DeliveryAddress);

/// <summary>Statuses and choices as the API names them.</summary>
public static class Vocabulary
{
    public static readonly string[] KitchenColumns = ["NEW", "ACCEPTED", "IN_PROGRESS", "READY"];
    public static readonly string[] OrderPath = ["PLACED", "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED"];
    public static readonly string[] OrderTypes = ["dine_in", "takeaway", "delivery"];
    public static readonly string[] PaymentMethods = ["cash", "card", "qr", "e_wallet"];
    /// <summary>The 14 allergens EU law asks a menu to declare, and the dietary tags (as the foods API spells them).</summary>
    public static readonly string[] Allergens =
        ["celery", "gluten", "crustaceans", "eggs", "fish", "lupin", "milk", "molluscs", "mustard", "nuts", "peanuts", "sesame", "soya", "sulphites"];
    public static readonly string[] Diets = ["vegetarian", "vegan", "gluten_free"];

    /// <summary>The next kitchen step of a ticket, or null at the end of the line.</summary>
    public static string? NextTicketStatus(string status) => status switch
    {
        "NEW" => "ACCEPTED",
        "ACCEPTED" => "IN_PROGRESS",
        "IN_PROGRESS" => "READY",
        "READY" => "DELIVERED_TO_SERVICE",
        _ => null,
    };

    /// <summary>The next step an owner may move an order to, or null.</summary>
    public static string? NextOrderStatus(string status) =>
        Array.IndexOf(OrderPath, status) is var i and >= 0 && i < OrderPath.Length - 1 ? OrderPath[i + 1] : null;

    public static bool Cancellable(string status) => status is "PLACED" or "ACCEPTED" or "IN_PROGRESS";

    public static string Words(string status) => status switch
    {
        "IN_PROGRESS" => "In progress",
        "DELIVERED_TO_SERVICE" => "Served",
        "dine_in" => "Dine in",
        "takeaway" => "Takeaway",
        "delivery" => "Delivery",
        _ => status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..].ToLowerInvariant().Replace('_', ' '),
    };
}

public sealed record Reservation(
    Guid Id, Guid RestaurantId, Guid TableId, int? TableNumber, Guid? UserId, string? GuestName, int PartySize, DateTimeOffset Time,
    DateTimeOffset EndsAt, string Status, string? Notes, string BookedBy, Guid? OrderId);

public sealed record Availability(Guid RestaurantId, DateOnly Date, int PartySize, string OpensAt, string ClosesAt, int SlotMinutes,
    IReadOnlyList<DateTimeOffset> Times);

/// <summary>A store-room item; <c>available</c> is on hand less what open orders reserved.</summary>
public sealed record StockItem(
    Guid Id, Guid RestaurantId, string Name, string Sku, string Unit, decimal OnHand, decimal Reserved, decimal Available,
    decimal Minimum, decimal ReorderLevel, decimal UnitCost, Guid? SupplierId, int LeadTimeDays, bool Low, bool Depleted,
    decimal AverageDailyUsage, decimal? DaysLeft);

public sealed record RecipeLine(Guid StockItemId, string ItemName, string Unit, decimal Quantity, Guid? OptionId);

public sealed record Recipe(Guid FoodId, Guid RestaurantId, IReadOnlyList<RecipeLine> Lines);

public sealed record Supplier(Guid Id, Guid RestaurantId, string Name, string? ContactName, string? Email, string? Phone);

public sealed record PurchaseOrderLine(Guid StockItemId, string ItemName, string Unit, decimal Quantity, decimal UnitCost, decimal Received);

public sealed record PurchaseOrder(
    Guid Id, Guid RestaurantId, Guid SupplierId, string SupplierName, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, IReadOnlyList<PurchaseOrderLine> Lines, decimal Total);
