using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>
/// Moves an order to a new status inside the caller's transaction: the order row, its history step, the
/// <c>order.status_updated</c> announcement and, for READY, the email owed to the customer commit together, whoever
/// asked (owner, customer or kitchen).
/// </summary>
public sealed class OrderLifecycle(OrderRepository orders, ReadyEmailRepository readyEmails)
{
    public async Task<Order> MoveAsync(UnitOfWork tx, Order order, string newStatus, StatusChanger changer, DateTimeOffset at, CancellationToken ct)
    {
        // Order timelines only go forward, whichever clock (kitchen's or ours) asked for the move.
        at = DatabaseTime.NextChange(at, order.UpdatedAt);
        // Queued first: it rides with the history step's batch.
        tx.Publish(new OrderStatusUpdated(order.Id, order.Status, newStatus, changer.Role, changer.UserId, at));
        var moved = await orders.ChangeStatusAsync(tx, order, newStatus, changer, at, ct);
        if (newStatus == OrderStatus.Ready) await readyEmails.EnqueueAsync(tx, order.Id, order.UserId, at, ct);
        return moved;
    }
}
