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
