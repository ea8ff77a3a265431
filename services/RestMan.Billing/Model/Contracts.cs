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
    string? OrderNumber)
{
    public static BillResponse From(Bill bill) => new(
        bill.Id, bill.OrderId, bill.UserId, bill.RestaurantId, bill.Subtotal, bill.TaxRate, bill.TaxAmount, bill.DiscountAmount,
        bill.TotalAmount, bill.Status, bill.PaymentMethod, bill.GeneratedAt, bill.PaidAt, bill.VoidedAt, bill.RefundDue, bill.OrderNumber);
}
