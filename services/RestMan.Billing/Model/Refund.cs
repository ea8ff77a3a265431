namespace RestMan.Billing.Model;

public static class RefundStatus
{
    /// <summary>Asked for; a payment it takes from still waits on the provider. Its amount is held against what may be refunded.</summary>
    public const string Pending = "pending";
    /// <summary>Money went back through at least one of its payments (<see cref="Refund.AmountIssued"/>).</summary>
    public const string Issued = "issued";
    /// <summary>No payment could give it back (the provider refused); nothing was refunded.</summary>
    public const string Failed = "failed";
    /// <summary>Of one payment of a refund: the money went back.</summary>
    public const string Refunded = "refunded";

    /// <summary>Whether a refund's payment still counts against what may be refunded (anything not failed).</summary>
    public static bool Holds(string status) => status is not Failed;
}

/// <summary>What a refund gives back through one payment, and how that went (pending, refunded, failed).</summary>
public sealed record RefundPayment(Guid PaymentId, string Method, decimal Amount, string Status, string? ProviderReference, string? FailureReason);

/// <summary>A refund of (part of) a bill, by the owner, back to the payments it was paid with.</summary>
public sealed record Refund(
    Guid Id,
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal Amount,
    string Status,
    string? Reason,
    string? IdempotencyKey,
    string? Fingerprint,
    Guid? RefundedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? IssuedAt,
    IReadOnlyList<RefundPayment> Payments)
{
    /// <summary>What actually went back: the payments refunded.</summary>
    public decimal AmountIssued => Payments.Where(p => p.Status == RefundStatus.Refunded).Sum(p => p.Amount);
}

/// <summary>How a refund is taken from a bill's payments: never more than each one paid towards the bill (tips stay the staff's).</summary>
public static class RefundRules
{
    /// <summary>
    /// What each captured payment may still give back: what it paid towards the bill less what refunds not failed take
    /// from it already.
    /// </summary>
    public static IReadOnlyList<(Payment Payment, decimal Left)> Refundable(IEnumerable<Payment> payments, IEnumerable<RefundPayment> taken) =>
        payments.Where(p => p.Status is PaymentStatus.Captured or PaymentStatus.Refunded)
            .Select(p => (p, p.Amount - taken.Where(t => t.PaymentId == p.Id && t.Status != RefundStatus.Failed).Sum(t => t.Amount)))
            .Where(x => x.Item2 > 0)
            .ToList();

    /// <summary>
    /// Takes <paramref name="amount"/> (null: all that is left) from the payments, newest first, or only from
    /// <paramref name="paymentId"/>; a refusal (code, detail) when it is more than was paid and not yet refunded.
    /// </summary>
    public static (IReadOnlyList<(Payment Payment, decimal Amount)> Parts, (string Code, string Detail)? Refusal) Allocate(
        IReadOnlyList<(Payment Payment, decimal Left)> refundable, decimal? amount, Guid? paymentId)
    {
        var from = paymentId is { } id ? refundable.Where(x => x.Payment.Id == id).ToList() : refundable.ToList();
        var left = from.Sum(x => x.Left);
        var wanted = amount ?? left;
        if (left <= 0)
            return ([], ("nothing_to_refund", paymentId is null
                ? "Nothing paid on the bill is left to refund."
                : "That payment has nothing left to refund (or it is not a captured payment of this bill)."));
        if (wanted > left)
            return ([], ("refund_exceeds_paid", $"The refund of {wanted:0.00} is more than the {left:0.00} paid and not yet refunded."));

        var parts = new List<(Payment, decimal)>();
        foreach (var (payment, canGive) in from.OrderByDescending(x => x.Payment.CapturedAt ?? x.Payment.UpdatedAt).ThenByDescending(x => x.Payment.Id))
        {
            if (wanted <= 0) break;
            var give = Math.Min(canGive, wanted);
            parts.Add((payment, give));
            wanted -= give;
        }
        return (parts, null);
    }

    /// <summary>The bill's status once <paramref name="refunded"/> of the <paramref name="paid"/> went back (a void bill stays void).</summary>
    public static string BillStatusAfter(Bill bill, decimal refunded, decimal paid) =>
        bill.Status == BillStatus.Void ? BillStatus.Void
        : refunded <= 0 ? bill.Status
        : refunded >= paid ? BillStatus.Refunded
        : BillStatus.PartiallyRefunded;
}
