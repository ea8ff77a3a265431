namespace RestMan.Messaging.IntegrationEvents;

// Bill events: topic bill.events, key: order id (a bill belongs to one order), so they follow the order's events.

public sealed record BillGenerated(
    Guid BillId,
    Guid OrderId,
    Guid UserId,
    Guid RestaurantId,
    decimal Subtotal,
    decimal TaxAmount,
    decimal DiscountAmount,
    decimal TotalAmount,
    DateTimeOffset GeneratedAt) : IIntegrationEvent<BillGenerated>
{
    public static string EventType => "bill.generated";
}

public sealed record BillPaid(
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal TotalAmount,
    string PaymentMethod,
    DateTimeOffset PaidAt) : IIntegrationEvent<BillPaid>
{
    public static string EventType => "bill.paid";
}

/// <summary>
/// A payment towards a bill was captured: <c>amount</c> towards the total, <c>tip</c> on top, by <c>method</c>
/// (cash, card, qr, e_wallet). The bill's own <c>bill.paid</c> follows once the payments cover its total.
/// </summary>
public sealed record PaymentCompleted(
    Guid PaymentId,
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal Amount,
    decimal Tip,
    string Method,
    string BillStatus,
    DateTimeOffset CompletedAt) : IIntegrationEvent<PaymentCompleted>
{
    public static string EventType => "payment.completed";
}

/// <summary>A payment was declined (or never confirmed) by the provider; nothing was charged, the bill still owes it.</summary>
public sealed record PaymentFailed(
    Guid PaymentId,
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal Amount,
    string Method,
    string Reason,
    DateTimeOffset FailedAt) : IIntegrationEvent<PaymentFailed>
{
    public static string EventType => "payment.failed";
}

/// <summary>
/// A discount was put on a bill before tax: a restaurant's <c>code</c>, or the staff's with a <c>reason</c>;
/// <c>kind</c> percent or fixed, <c>amount</c> what it took off.
/// </summary>
public sealed record DiscountApplied(
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    string? Code,
    string Kind,
    decimal Value,
    decimal Amount,
    string? Reason,
    string AppliedBy,
    Guid? AppliedByUserId,
    DateTimeOffset AppliedAt) : IIntegrationEvent<DiscountApplied>
{
    public static string EventType => "discount.applied";
}

/// <summary>
/// The owner gave money back on a bill: <c>amount</c> in all, through the <c>payments</c> it was paid with (each with
/// its method and amount); <c>bill_status</c> PARTIALLY_REFUNDED or REFUNDED (VOID for a cancelled order's bill).
/// </summary>
public sealed record RefundIssued(
    Guid RefundId,
    Guid BillId,
    Guid OrderId,
    Guid RestaurantId,
    decimal Amount,
    string? Reason,
    string BillStatus,
    IReadOnlyList<RefundedPayment> Payments,
    DateTimeOffset IssuedAt) : IIntegrationEvent<RefundIssued>
{
    public static string EventType => "refund.issued";
}

/// <summary>What a refund gave back through one payment.</summary>
public sealed record RefundedPayment(Guid PaymentId, string Method, decimal Amount);
