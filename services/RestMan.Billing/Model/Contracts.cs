using System.ComponentModel.DataAnnotations;

namespace RestMan.Billing.Model;

// Request and response bodies of the Billing API; snake_case on the wire (ServiceDefaults' JSON options).

[OpenApiExample("""{"payment_method": "card"}""")]
public sealed record FinalizeBillRequest(string? PaymentMethod);

public sealed record ChangePaymentMethodRequest([property: Required] string? PaymentMethod);

public sealed record BillResponse(
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
    bool RefundDue,
    string? OrderNumber,
    decimal AmountPaid,
    decimal TipAmount,
    decimal BalanceDue,
    decimal ServiceChargeRate,
    decimal ServiceChargeAmount,
    string? DiscountCode,
    string? DiscountReason,
    int? Covers,
    string? SplitKind,
    decimal AmountRefunded = 0m)
{
    public static BillResponse From(Bill bill) => new(
        bill.Id, bill.OrderId, bill.UserId, bill.RestaurantId, bill.Subtotal, bill.TaxRate, bill.TaxAmount, bill.DiscountAmount,
        bill.TotalAmount, bill.Status, bill.PaymentMethod, bill.GeneratedAt, bill.PaidAt, bill.VoidedAt, bill.RefundDue, bill.OrderNumber,
        bill.AmountPaid, bill.TipAmount, bill.BalanceDue, bill.Terms.EffectiveServiceChargeRate, bill.ServiceChargeAmount, bill.DiscountCode,
        bill.DiscountReason, bill.Covers, bill.SplitKind, bill.AmountRefunded);
}

/// <summary>
/// A payment towards a bill: <c>amount</c> towards the total (left out: all that is still owed), <c>tip</c> on top,
/// <c>method</c> one of cash, card, qr, e_wallet. Card, QR and e-wallet payments go through the payment provider with
/// <c>card_token</c>; <c>capture: false</c> only authorizes (capture later). <c>part</c>: the part of a split bill it pays.
/// </summary>
[OpenApiExample("""{"amount": 20.00, "tip": 2.50, "method": "card", "card_token": "4242424242424242"}""")]
public sealed record TakePaymentRequest(decimal? Amount, decimal? Tip, string? Method, string? CardToken, bool? Capture, int? Part = null);

public sealed record PaymentResponse(
    Guid Id,
    Guid BillId,
    Guid OrderId,
    decimal Amount,
    decimal Tip,
    string Method,
    string Status,
    string? ProviderReference,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CapturedAt,
    string BillStatus,
    decimal BalanceDue,
    int? Part)
{
    public static PaymentResponse From(Payment p, Bill bill) => new(
        p.Id, p.BillId, p.OrderId, p.Amount, p.Tip, p.Method, p.Status, p.ProviderReference, p.FailureReason, p.CreatedAt, p.CapturedAt,
        bill.Status, bill.BalanceDue, p.PartNo);
}

/// <summary>Split the bill evenly among <c>guests</c>, or by items: each part names its lines (<c>line_nos</c>).</summary>
[OpenApiExample("""{"parts": [{"line_nos": [1, 2]}, {"line_nos": [3]}]}""")]
public sealed record SplitBillRequest(int? Guests, List<SplitPartRequest?>? Parts);

public sealed record SplitPartRequest(List<int>? LineNos);

/// <summary><c>options</c> with their prices (in <c>unit_price</c>), and the guest's <c>note</c>; none on lines from before modifiers.</summary>
public sealed record BillLineResponse(
    int LineNo, Guid FoodId, string FoodName, int Quantity, decimal LineTotal, bool Removed, decimal? UnitPrice, IReadOnlyList<BillLineOption> Options,
    string? Note);

/// <summary>A part of the split bill: its share, what its payments have paid, and what it still owes.</summary>
public sealed record BillPartResponse(int Part, decimal Amount, decimal Paid, decimal BalanceDue, string Status, List<int>? LineNos);

/// <summary>The bill's lines and, when it is split, its parts (<c>split_kind</c>: even or items).</summary>
public sealed record SplitResponse(Guid BillId, string BillStatus, string? SplitKind, decimal TotalAmount, List<BillLineResponse> Lines, List<BillPartResponse> Parts)
{
    public static SplitResponse From(Bill bill, IReadOnlyList<BillLine> lines, IReadOnlyList<BillPart> parts, IReadOnlyList<Payment> payments) => new(
        bill.Id, bill.Status, bill.SplitKind, bill.TotalAmount,
        lines.Select(l => new BillLineResponse(l.LineNo, l.FoodId, l.FoodName, l.Quantity, l.LineTotal, l.Removed, l.UnitPrice, l.Options, l.Note)).ToList(),
        parts.Select(p =>
        {
            var paid = payments.Where(x => x.PartNo == p.PartNo && x.Status is PaymentStatus.Captured or PaymentStatus.Refunded).Sum(x => x.Amount);
            var status = paid >= p.Amount ? Model.BillStatus.Paid : paid > 0 ? Model.BillStatus.PartiallyPaid : Model.BillStatus.Pending;
            return new BillPartResponse(p.PartNo, p.Amount, paid, Math.Max(0m, p.Amount - paid), status, p.LineNos?.ToList());
        }).ToList());
}

/// <summary>
/// A discount code of the restaurant: <c>kind</c> percent (<c>value</c> 10 is 10 %) or fixed (an amount off), valid from
/// and until (optional), on a subtotal of at least <c>min_spend</c>, at most <c>max_uses</c> times (optional).
/// </summary>
[OpenApiExample("""{"code": "TEN", "kind": "percent", "value": 10, "min_spend": 20.00, "max_uses": 100}""")]
public sealed record CreateDiscountCodeRequest(
    string? Code, string? Kind, decimal? Value, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, decimal? MinSpend, int? MaxUses);

public sealed record DiscountCodeResponse(
    Guid Id, Guid RestaurantId, string Code, string Kind, decimal Value, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil,
    decimal MinSpend, int? MaxUses, int Uses)
{
    public static DiscountCodeResponse From(DiscountCode c) =>
        new(c.Id, c.RestaurantId, c.Code, c.Kind, c.Value, c.ValidFrom, c.ValidUntil, c.MinSpend, c.MaxUses, c.Uses);
}

/// <summary>A discount on the bill, before tax: a <c>code</c>, or the staff's <c>percent</c> or <c>amount</c> off with a <c>reason</c>.</summary>
[OpenApiExample("""{"code": "TEN"}""")]
public sealed record ApplyDiscountRequest(string? Code, decimal? Percent, decimal? Amount, string? Reason);

/// <summary>The restaurant's rates for new bills: tax and service charge as fractions (0.10 is 10 %), the service charge only for parties of at least <c>service_charge_min_covers</c> when set.</summary>
[OpenApiExample("""{"tax_rate": 0.08, "service_charge_rate": 0.125, "service_charge_min_covers": 6}""")]
public sealed record ChargesRequest(decimal? TaxRate, decimal? ServiceChargeRate, int? ServiceChargeMinCovers);

public sealed record ChargesResponse(Guid RestaurantId, decimal TaxRate, decimal ServiceChargeRate, int? ServiceChargeMinCovers);

/// <summary>The provider's asynchronous word on a charge, signed (<c>X-Payment-Signature</c>).</summary>
[OpenApiExample("""{"event_id": "evt_1", "provider_reference": "rm_0d9f...", "status": "captured"}""")]
public sealed record PaymentWebhook(string? EventId, string? ProviderReference, string? Status);

/// <summary>
/// A refund by the owner: <c>amount</c> (left out: all that was paid and not yet refunded), from one <c>payment_id</c>
/// only when given (else from the bill's payments, newest first), and why.
/// </summary>
[OpenApiExample("""{"amount": 5.00, "reason": "cold soup"}""")]
public sealed record IssueRefundRequest(decimal? Amount, Guid? PaymentId, string? Reason);

public sealed record RefundPaymentResponse(Guid PaymentId, string Method, decimal Amount, string Status, string? FailureReason);

/// <summary>
/// A refund: <c>status</c> pending (the provider has not answered yet), issued or failed; <c>amount_issued</c> what
/// went back; with the bill's new status and what it has refunded in all.
/// </summary>
public sealed record RefundResponse(
    Guid Id, Guid BillId, Guid OrderId, decimal Amount, decimal AmountIssued, string Status, string? Reason,
    List<RefundPaymentResponse> Payments, DateTimeOffset CreatedAt, DateTimeOffset? IssuedAt, string BillStatus, decimal BillAmountRefunded)
{
    public static RefundResponse From(Refund r, Bill bill) => new(
        r.Id, r.BillId, r.OrderId, r.Amount, r.AmountIssued, r.Status, r.Reason,
        r.Payments.Select(p => new RefundPaymentResponse(p.PaymentId, p.Method, p.Amount, p.Status, p.FailureReason)).ToList(),
        r.CreatedAt, r.IssuedAt, bill.Status, bill.AmountRefunded);
}

/// <summary>Where to email a bill's receipt.</summary>
[OpenApiExample("""{"email": "guest@example.com"}""")]
public sealed record EmailReceiptRequest(string? Email);

/// <summary>
/// A receipt email: <c>status</c> queued (it goes out within seconds, retried while the mail relay is away), sent, or
/// failed (given up after about two hours of retries); <c>attempts</c> so far.
/// </summary>
public sealed record ReceiptEmailResponse(Guid Id, Guid BillId, string Email, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    public static ReceiptEmailResponse From(Infrastructure.ReceiptEmail e) => new(e.Id, e.BillId, e.Email, e.Status, e.Attempts, e.CreatedAt, e.SentAt);
}
