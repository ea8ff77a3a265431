using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.IntegrationEvents.EventHandling;

/// <summary>A paid bill closes its table order (COMPLETED) and sends its table to NEEDS_CLEANING; online orders are untouched.</summary>
public sealed class BillPaidHandler(TableOrders tableOrders) : IIntegrationEventHandler<BillPaid>
{
    public Task HandleAsync(BillPaid integrationEvent, EventContext context, CancellationToken ct) =>
        tableOrders.CloseOnPaymentAsync(context.Tx, integrationEvent.OrderId, integrationEvent.PaidAt, ct);
}
