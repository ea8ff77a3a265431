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
    decimal BalanceDue)
{
    public static BillResponse From(Bill bill) => new(
        bill.Id, bill.OrderId, bill.UserId, bill.RestaurantId, bill.Subtotal, bill.TaxRate, bill.TaxAmount, bill.DiscountAmount,
        bill.TotalAmount, bill.Status, bill.PaymentMethod, bill.GeneratedAt, bill.PaidAt, bill.VoidedAt, bill.RefundDue, bill.OrderNumber,
        bill.AmountPaid, bill.TipAmount, bill.BalanceDue);
}

/// <summary>
/// A payment towards a bill: <c>amount</c> towards the total (left out: all that is still owed), <c>tip</c> on top,
/// <c>method</c> one of cash, card, qr, e_wallet. Card, QR and e-wallet payments go through the payment provider with
/// <c>card_token</c>; <c>capture: false</c> only authorizes (capture later).
/// </summary>
[OpenApiExample("""{"amount": 20.00, "tip": 2.50, "method": "card", "card_token": "4242424242424242"}""")]
public sealed record TakePaymentRequest(decimal? Amount, decimal? Tip, string? Method, string? CardToken, bool? Capture);

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
    decimal BalanceDue)
{
    public static PaymentResponse From(Payment p, Bill bill) => new(
        p.Id, p.BillId, p.OrderId, p.Amount, p.Tip, p.Method, p.Status, p.ProviderReference, p.FailureReason, p.CreatedAt, p.CapturedAt,
        bill.Status, bill.BalanceDue);
}

/// <summary>The provider's asynchronous word on a charge, signed (<c>X-Payment-Signature</c>).</summary>
[OpenApiExample("""{"event_id": "evt_1", "provider_reference": "rm_0d9f...", "status": "captured"}""")]
public sealed record PaymentWebhook(string? EventId, string? ProviderReference, string? Status);
