using RestMan.Billing.Infrastructure;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>
/// A table order's bill follows its total while PENDING: a round makes it grow, a removed line shrink, a merge gives the
/// surviving order's bill both tables' lines (the merged order's bill is voided with its CANCELLED).
/// </summary>
public sealed class TableOrderTotalHandler(BillRepository bills, ILogger<TableOrderTotalHandler> logger)
    : IIntegrationEventHandler<OrderItemsAdded>, IIntegrationEventHandler<OrderItemRemoved>, IIntegrationEventHandler<OrderMerged>
{
    public Task HandleAsync(OrderItemsAdded e, EventContext context, CancellationToken ct) => FollowAsync(context, e.OrderId, e.TotalPrice, e.AddedAt, ct);

    public Task HandleAsync(OrderItemRemoved e, EventContext context, CancellationToken ct) => FollowAsync(context, e.OrderId, e.TotalPrice, e.RemovedAt, ct);

    public Task HandleAsync(OrderMerged e, EventContext context, CancellationToken ct) => FollowAsync(context, e.IntoOrderId, e.IntoTotalPrice, e.MergedAt, ct);

    private async Task FollowAsync(EventContext context, Guid orderId, decimal total, DateTimeOffset asOf, CancellationToken ct)
    {
        if (await bills.SetSubtotalAsync(context.Tx, orderId, total, asOf, ct) is { } bill)
            logger.LogInformation("Bill {BillId} of order {OrderId} now {Total}", bill.Id, orderId, bill.TotalAmount);
    }
}
