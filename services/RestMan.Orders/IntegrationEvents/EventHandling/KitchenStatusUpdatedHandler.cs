using Microsoft.Extensions.Options;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.IntegrationEvents.EventHandling;

/// <summary>
/// The kitchen moved a ticket: an online order follows (DELIVERED_TO_SERVICE completes it); a table order only records
/// how far the kitchen is with that round (it closes when its bill is paid). Orders' own
/// <c>order.status_updated</c> events come back on the same topic and are skipped, so nothing ever loops.
/// </summary>
public sealed class KitchenStatusUpdatedHandler(
    OrderRepository orders,
    OrderLifecycle lifecycle,
    IOptions<MessagingOptions> messaging,
    ILogger<KitchenStatusUpdatedHandler> logger) : IIntegrationEventHandler<OrderStatusUpdated>
{
    public async Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct)
    {
        if (context.Envelope.Source == messaging.Value.Source) return;
        if (integrationEvent.Round is { } round)
        {
            await orders.SetRoundKitchenStatusAsync(context.Tx, integrationEvent.OrderId, round, integrationEvent.NewStatus, ct);
            return;
        }
        if (OrderStatusMachine.FromTicketStatus(integrationEvent.NewStatus) is not { } target) return;

        var order = await orders.LockAsync(context.Tx, integrationEvent.OrderId, ct);
        if (order is null)
        {
            logger.LogWarning("Kitchen moved the ticket of order {OrderId}, which Orders does not know; ignoring it", integrationEvent.OrderId);
            return;
        }
        // A table order's tickets always name their round; one without is from before rounds: the order is left alone.
        if (order.IsTableOrder) return;
        if (!OrderStatusMachine.CanFollowKitchen(order.Status, target))
        {
            logger.LogInformation("Order {OrderId} is {Status}; the kitchen's {TicketStatus} does not move it",
                order.Id, order.Status, integrationEvent.NewStatus);
            return;
        }

        var changer = new StatusChanger(integrationEvent.ChangedBy, integrationEvent.ChangedByUserId);
        await lifecycle.MoveAsync(context.Tx, order, target, changer, integrationEvent.ChangedAt, ct);
    }
}
