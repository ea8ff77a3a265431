namespace RestMan.Billing.Model;

public static class PaymentStatus
{
    /// <summary>Sent to the provider, no answer yet (or the answer was lost): the amount is held on the bill until settled.</summary>
    public const string Pending = "pending";
    /// <summary>The provider holds the money; a capture takes it.</summary>
    public const string Authorized = "authorized";
    public const string Captured = "captured";
    public const string Failed = "failed";
    public const string Refunded = "refunded";

    /// <summary>Whether the payment still counts against the bill's balance (anything not failed or refunded).</summary>
    public static bool Holds(string status) => status is Pending or Authorized or Captured;

    public static bool IsFinal(string status) => status is Captured or Failed or Refunded;
}

/// <summary>One payment towards a bill; <see cref="Tip"/> is on top of <see cref="Amount"/>.</summary>
public sealed record Payment(
    Guid Id,
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal Amount,
    decimal Tip,
    string Method,
    string Status,
    string? ProviderReference,
    string? FailureReason,
    string? IdempotencyKey,
    string? Fingerprint,
    string? CaptureKey,
    DateTimeOffset? CaptureRequestedAt,
    Guid? TakenBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CapturedAt,
    int? PartNo = null);

/// <summary>How the payment rules decide what a new payment may be.</summary>
public static class PaymentRules
{
    /// <summary>
    /// The conflict a new payment of <paramref name="amount"/> meets on <paramref name="bill"/>, whose other payments
    /// hold <paramref name="held"/> (pending, authorized or captured); null when it may be taken.
    /// </summary>
    public static (string Code, string Detail)? Refusal(Bill bill, decimal held, decimal amount) => bill.Status switch
    {
        BillStatus.Void => ("bill_void", "The order was cancelled; its bill is void and cannot be paid."),
        BillStatus.Paid => ("bill_already_paid", $"The bill was already paid on {bill.PaidAt:u}."),
        _ when amount > bill.TotalAmount - held => held >= bill.TotalAmount
            ? ("payment_pending", "Payments already cover the bill; wait for the pending ones to settle.")
            : ("overpayment", $"The payment of {amount:0.00} is more than the {bill.TotalAmount - held:0.00} still owed."),
        _ => null,
    };

    /// <summary>The method a bill paid by several payments is recorded with: the one that paid most (the latest on a tie).</summary>
    public static string MainMethod(IEnumerable<Payment> captured) =>
        captured.GroupBy(p => p.Method)
            .Select(g => (Method: g.Key, Amount: g.Sum(p => p.Amount), Last: g.Max(p => p.CapturedAt ?? p.UpdatedAt)))
            .OrderByDescending(g => g.Amount).ThenByDescending(g => g.Last)
            .First().Method;
}

/// <summary>A line of the bill as ordered; a removed one is no longer charged.</summary>
public sealed record BillLine(int LineNo, Guid FoodId, string FoodName, int Quantity, decimal LineTotal, bool Removed)
{
    /// <summary>The price of one, options included; null on lines from before it was kept.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>The modifier options ordered, each with what it added to the unit price.</summary>
    public IReadOnlyList<BillLineOption> Options { get; init; } = [];

    public string? Note { get; init; }

    /// <summary>The line from an order event's item (no options or note on events from before modifiers).</summary>
    public static BillLine From(int lineNo, Guid foodId, string foodName, int quantity, decimal unitPrice, decimal lineTotal,
        IReadOnlyList<RestMan.Messaging.IntegrationEvents.OrderItemOption>? options, string? note) =>
        new(lineNo, foodId, foodName, quantity, lineTotal, false)
        {
            UnitPrice = unitPrice,
            Options = (options ?? []).Select(o => new BillLineOption(o.Group, o.Name, o.PriceDelta)).ToList(),
            Note = note,
        };
}

/// <summary>A modifier option on a bill line: its group, name and price.</summary>
public sealed record BillLineOption(string Group, string Name, decimal PriceDelta);

/// <summary>One part of a split bill: its share of the total, and for a split by items the lines it pays for.</summary>
public sealed record BillPart(int PartNo, decimal Amount, IReadOnlyList<int>? LineNos);

public sealed record DiscountCode(
    Guid Id, Guid RestaurantId, string Code, string Kind, decimal Value, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil,
    decimal MinSpend, int? MaxUses, int Uses, DateTimeOffset CreatedAt);

/// <summary>A restaurant's rates for new bills.</summary>
public sealed record RestaurantCharges(decimal TaxRate, decimal ServiceChargeRate, int? ServiceChargeMinCovers);
