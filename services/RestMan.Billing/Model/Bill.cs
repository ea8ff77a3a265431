
namespace RestMan.Billing.Model;

public static class BillStatus
{
    public const string Pending = "PENDING";
    /// <summary>Some of the bill is paid (captured), not all of it.</summary>
    public const string PartiallyPaid = "PARTIALLY_PAID";
    public const string Paid = "PAID";
    /// <summary>The order was cancelled before the bill was paid; nothing is owed.</summary>
    public const string Void = "VOID";
    /// <summary>Paid, and some of what was paid went back by refunds.</summary>
    public const string PartiallyRefunded = "PARTIALLY_REFUNDED";
    /// <summary>Paid, and all that was paid went back by refunds.</summary>
    public const string Refunded = "REFUNDED";
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

    /// <summary>What refunds gave back of <see cref="AmountPaid"/>.</summary>
    public decimal AmountRefunded { get; init; }

    /// <summary>The tips on the captured payments, on top of the total.</summary>
    public decimal TipAmount { get; init; }

    /// <summary>What is still owed.</summary>
    public decimal BalanceDue => Math.Max(0m, TotalAmount - AmountPaid);

    /// <summary>Whether payments may still be taken: PENDING or PARTIALLY_PAID.</summary>
    public bool IsOpen => Status is BillStatus.Pending or BillStatus.PartiallyPaid;

    /// <summary>The short number the order is called by (e.g. <c>A-042</c>); null for orders from before numbers.</summary>
    public string? OrderNumber { get; init; }

    /// <summary>The party at the table (a dine-in table order); null for other orders.</summary>
    public int? Covers { get; init; }

    /// <summary>The restaurant's service charge and the smallest party it applies to (null: every bill), as the bill was opened.</summary>
    public decimal ServiceChargeRate { get; init; }
    public int? ServiceChargeMinCovers { get; init; }
    public decimal ServiceChargeAmount { get; init; }

    /// <summary>The bill's discount: a code's, or the staff's with a reason; <c>percent</c> or <c>fixed</c>.</summary>
    public string? DiscountCode { get; init; }
    public string? DiscountKind { get; init; }
    public decimal? DiscountValue { get; init; }
    public string? DiscountReason { get; init; }

    /// <summary>How the bill is split: <c>even</c>, <c>items</c>, or null (paid as one).</summary>
    public string? SplitKind { get; init; }

    public BillTerms Terms => new(TaxRate, ServiceChargeRate, ServiceChargeMinCovers, Covers, DiscountKind, DiscountValue);
}

/// <summary>What a bill's amounts follow from besides its lines.</summary>
public sealed record BillTerms(
    decimal TaxRate, decimal ServiceChargeRate = 0m, int? ServiceChargeMinCovers = null, int? Covers = null,
    string? DiscountKind = null, decimal? DiscountValue = null)
{
    /// <summary>The service charge applies to every bill when no party size is set, else to parties of at least that many.</summary>
    public decimal EffectiveServiceChargeRate =>
        ServiceChargeMinCovers is not { } min || Covers >= min ? ServiceChargeRate : 0m;
}

public static class DiscountKind
{
    public const string Percent = "percent", Fixed = "fixed";
    public static readonly IReadOnlyList<string> All = [Percent, Fixed];
}

public sealed record BillAmounts(decimal Subtotal, decimal TaxAmount, decimal DiscountAmount, decimal TotalAmount, decimal ServiceCharge = 0m);

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

    /// <summary>
    /// The discount comes off first (a percentage of the subtotal, or a fixed amount up to all of it); the service charge
    /// and the tax are each charged on what is left, apart: the service charge is not taxed.
    /// </summary>
    public static BillAmounts Compute(decimal subtotal, BillTerms terms)
    {
        var net = Money.Round(subtotal);
        var off = terms.DiscountKind switch
        {
            Model.DiscountKind.Percent => Money.Round(net * (terms.DiscountValue ?? 0m) / 100m),
            Model.DiscountKind.Fixed => Money.Round(terms.DiscountValue ?? 0m),
            _ => 0m,
        };
        off = Math.Min(off, net);
        var service = Money.Round((net - off) * terms.EffectiveServiceChargeRate);
        var tax = Money.Round((net - off) * terms.TaxRate);
        return new BillAmounts(net, tax, off, net - off + service + tax, service);
    }
}
