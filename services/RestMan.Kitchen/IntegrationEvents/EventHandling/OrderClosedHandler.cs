using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>
/// An order that ended (cancelled, or completed by the owner or its paid bill) takes its tickets off the kitchen
/// display, silently: only Orders announces <c>order.status_updated</c>, so other steps are simply not the kitchen's.
/// </summary>
public sealed class OrderClosedHandler(TicketRepository tickets, ILogger<OrderClosedHandler> logger)
    : IIntegrationEventHandler<OrderStatusUpdated>
{
    public async Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct)
    {
        var closedAs = integrationEvent.NewStatus switch
        {
            "CANCELLED" => TicketStatus.Cancelled,
            "COMPLETED" => TicketStatus.DeliveredToService,
            _ => null,
        };
        if (closedAs is null) return;
        if (await tickets.CloseForOrderAsync(context.Tx, integrationEvent.OrderId, closedAs, context.Tx.Clock.GetUtcNow(), ct))
            logger.LogInformation("Tickets of order {OrderId} closed as {Status} with their order", integrationEvent.OrderId, closedAs);
    }
}
