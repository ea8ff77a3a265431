using RestMan.Billing.Infrastructure;
using RestMan.Billing.Payments;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>
/// A cancelled order voids its bill if it is still unpaid. A bill paid before the cancellation reached Billing is
/// flagged <c>refund_due</c> and refunded in full to the payments it was paid with (through the provider by the
/// reconciler, since the consume loop's unit of work calls no one).
/// </summary>
public sealed class OrderCancelledHandler(BillRepository bills, Refunding refunding, ILogger<OrderCancelledHandler> logger)
    : IIntegrationEventHandler<OrderStatusUpdated>
{
    private const string Cancelled = "CANCELLED";
    public const string CancelledReason = "order_cancelled";

    public async Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct)
    {
        if (integrationEvent.NewStatus != Cancelled) return;
        if (await bills.VoidUnpaidAsync(context.Tx, integrationEvent.OrderId, context.Tx.Clock.GetUtcNow(), ct))
            logger.LogInformation("Bill of order {OrderId} voided with its order", integrationEvent.OrderId);
        // Billing hears of cancellations late, so the owner may already have taken the money: make the refund owed visible.
        else if (await bills.MarkRefundDueAsync(context.Tx, integrationEvent.OrderId, context.Tx.Clock.GetUtcNow(), ct))
        {
            logger.LogWarning("Order {OrderId} was cancelled after its bill was paid; the bill is marked refund_due and refunded", integrationEvent.OrderId);
            var bill = (await bills.FindByOrderAsync(integrationEvent.OrderId, ct))!;
            bill = (await bills.LockAsync(context.Tx, bill.Id, ct))!;
            await refunding.CreateAsync(context.Tx, bill, new RefundOrder(null, null, CancelledReason, null), null, null, ct);
        }
    }
}
