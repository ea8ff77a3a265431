using Microsoft.Extensions.Options;
using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>
/// A cancelled order cancels its ticket, silently: the kitchen's own steps are the only ones it announces, so the
/// cancellation never echoes back to Orders. Every other status change is the kitchen's own news and is skipped.
/// </summary>
public sealed class OrderCancelledHandler(
    TicketRepository tickets, IOptions<MessagingOptions> messaging, ILogger<OrderCancelledHandler> logger)
    : IIntegrationEventHandler<OrderStatusUpdated>
{
    public async Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct)
    {
        if (context.Envelope.Source == messaging.Value.Source || integrationEvent.NewStatus != TicketStatus.Cancelled) return;
        if (await tickets.CancelForOrderAsync(context.Tx, integrationEvent.OrderId, context.Tx.Clock.GetUtcNow(), ct))
            logger.LogInformation("Ticket of order {OrderId} cancelled with its order", integrationEvent.OrderId);
    }
}
