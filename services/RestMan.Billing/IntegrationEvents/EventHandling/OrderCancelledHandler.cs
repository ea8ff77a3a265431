using RestMan.Billing.Infrastructure;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>A cancelled order voids its bill if it is still unpaid; a paid one is left for a refund, which is not ours to do.</summary>
public sealed class OrderCancelledHandler(BillRepository bills, TimeProvider clock, ILogger<OrderCancelledHandler> logger)
    : IIntegrationEventHandler<OrderStatusUpdated>
{
    private const string Cancelled = "CANCELLED";

    public async Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct)
    {
        if (integrationEvent.NewStatus != Cancelled) return;
        if (await bills.VoidUnpaidAsync(context.Connection, context.Transaction, integrationEvent.OrderId, clock.GetUtcNow(), ct))
            logger.LogInformation("Bill of order {OrderId} voided with its order", integrationEvent.OrderId);
    }
}
