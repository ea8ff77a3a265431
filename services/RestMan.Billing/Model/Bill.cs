
namespace RestMan.Billing.Model;

public static class BillStatus
{
    public const string Pending = "PENDING";
    public const string Paid = "PAID";
    /// <summary>The order was cancelled before the bill was paid; nothing is owed.</summary>
    public const string Void = "VOID";
}

public static class PaymentMethod
{
    public static readonly IReadOnlyList<string> All = ["cash", "card", "upi", "wallet"];

    /// <summary>The method in its stored (lower-case) form, or null when it is not one RestMan takes.</summary>
    public static string? Normalize(string? method)
    {
        var normalized = method?.Trim().ToLowerInvariant();
        return normalized is not null && All.Contains(normalized) ? normalized : null;
    }
}

public sealed record Bill(
    Guid Id,
    Guid OrderId,
    Guid UserId,
    Guid RestaurantId,
    decimal Subtotal,
    decimal TaxRate,
    decimal TaxAmount,
    decimal DiscountAmount,
    decimal TotalAmount,
    string Status,
    string? PaymentMethod,
    DateTimeOffset GeneratedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? VoidedAt,
    bool RefundDue = false)
{
    /// <summary>The short number the order is called by (e.g. <c>A-042</c>); null for orders from before numbers.</summary>
    public string? OrderNumber { get; init; }
}

public sealed record BillAmounts(decimal Subtotal, decimal TaxAmount, decimal DiscountAmount, decimal TotalAmount);

/// <summary>How a bill's amounts follow from its subtotal: every amount in whole cents, halves away from zero.</summary>
public static class BillCalculator
{
    /// <summary>Tax is charged on what is paid for, after the discount; the total never goes below zero.</summary>
    public static BillAmounts Compute(decimal subtotal, decimal taxRate, decimal discount)
    {
        var net = Money.Round(subtotal);
        var off = Math.Min(Money.Round(discount), net);
        var tax = Money.Round((net - off) * taxRate);
        return new BillAmounts(net, tax, off, net - off + tax);
    }
}
