
namespace RestMan.Billing.Model;

public static class BillStatus
{
    public const string Pending = "PENDING";
    /// <summary>Some of the bill is paid (captured), not all of it.</summary>
    public const string PartiallyPaid = "PARTIALLY_PAID";
    public const string Paid = "PAID";
    /// <summary>The order was cancelled before the bill was paid; nothing is owed.</summary>
    public const string Void = "VOID";
}

public static class PaymentMethod
{
    public const string Cash = "cash", Card = "card", Qr = "qr", EWallet = "e_wallet";

    public static readonly IReadOnlyList<string> All = [Cash, Card, Qr, EWallet];

    // The first implementation's names, still accepted: its UPI payments are QR payments, its wallet an e-wallet.
    private static readonly Dictionary<string, string> Aliases = new() { ["upi"] = Qr, ["wallet"] = EWallet, ["e-wallet"] = EWallet };

    /// <summary>The method in its stored (lower-case) form, or null when it is not one RestMan takes.</summary>
    public static string? Normalize(string? method)
    {
        var normalized = method?.Trim().ToLowerInvariant();
        if (normalized is not null && Aliases.TryGetValue(normalized, out var alias)) return alias;
        return normalized is not null && All.Contains(normalized) ? normalized : null;
    }

    /// <summary>Whether money by this method goes through the payment provider (everything but cash at the table).</summary>
    public static bool ThroughProvider(string method) => method != Cash;
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
    /// <summary>What the captured payments have paid towards the total (tips not included).</summary>
    public decimal AmountPaid { get; init; }

    /// <summary>The tips on the captured payments, on top of the total.</summary>
    public decimal TipAmount { get; init; }

    /// <summary>What is still owed.</summary>
    public decimal BalanceDue => Math.Max(0m, TotalAmount - AmountPaid);

    /// <summary>Whether payments may still be taken: PENDING or PARTIALLY_PAID.</summary>
    public bool IsOpen => Status is BillStatus.Pending or BillStatus.PartiallyPaid;

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
