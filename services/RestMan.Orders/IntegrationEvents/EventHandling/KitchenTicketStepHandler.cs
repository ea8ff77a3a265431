using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.IntegrationEvents.EventHandling;

/// <summary>
/// The kitchen moved a ticket (<c>kitchen.ticket_*</c>): an online order follows how far the kitchen is with its
/// round across all its stations' tickets (READY only once every ticket is; DELIVERED_TO_SERVICE completes it); a
/// table order only records that per round (it closes when its bill is paid). Orders then announces its own
/// <c>order.status_updated</c>, which the kitchen never sends.
/// </summary>
public sealed class KitchenTicketStepHandler<TEvent>(
    OrderRepository orders,
    OrderLifecycle lifecycle,
    ILogger<KitchenTicketStepHandler<TEvent>> logger) : IIntegrationEventHandler<TEvent>
    where TEvent : KitchenTicketStep, IIntegrationEvent<TEvent>
{
    public async Task HandleAsync(TEvent step, EventContext context, CancellationToken ct)
    {
        // Said on accepting: the guest sees when to expect the order, before Orders moves it.
        if (step is KitchenTicketAccepted { EstimatedReadyAt: { } estimate })
            await orders.SetEstimateAsync(context.Tx, step.OrderId, estimate, ct);
        if (step.TableOrder)
        {
            await orders.SetRoundKitchenStatusAsync(context.Tx, step.OrderId, step.Round, step.RoundStatus, ct);
            return;
        }
        if (OrderStatusMachine.FromTicketStatus(step.RoundStatus) is not { } target) return;

        var order = await orders.LockAsync(context.Tx, step.OrderId, ct);
        if (order is null)
        {
            logger.LogWarning("Kitchen moved a ticket of order {OrderId}, which Orders does not know; ignoring it", step.OrderId);
            return;
        }
        if (order.IsTableOrder) return;
        if (!OrderStatusMachine.CanFollowKitchen(order.Status, target))
        {
            logger.LogInformation("Order {OrderId} is {Status}; the kitchen's {RoundStatus} does not move it", order.Id, order.Status, step.RoundStatus);
            return;
        }

        await lifecycle.MoveAsync(context.Tx, order, target, new StatusChanger(Roles.KitchenStaff, step.ChangedByUserId), step.At, ct);
    }
}
