using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.IntegrationEvents.EventHandling;

/// <summary>
/// A table order's bill follows its lines and total while open: a round makes it grow, a removed line shrink, a merge
/// gives the surviving order's bill both tables' lines and parties (the merged order's bill is voided with its CANCELLED).
/// </summary>
public sealed class TableOrderTotalHandler(BillRepository bills, SplitRepository split, ILogger<TableOrderTotalHandler> logger)
    : IIntegrationEventHandler<OrderItemsAdded>, IIntegrationEventHandler<OrderItemRemoved>, IIntegrationEventHandler<OrderMerged>
{
    public async Task HandleAsync(OrderItemsAdded e, EventContext context, CancellationToken ct)
    {
        await split.AddLinesAsync(context.Tx, e.OrderId,
            e.Items.Select(i => BillLine.From(i.LineNo, i.FoodId, i.FoodName, i.Quantity, i.UnitPrice, i.LineTotal, i.Options, i.Note)), ct);
        await FollowAsync(context, e.OrderId, e.TotalPrice, e.AddedAt, null, ct);
    }

    public async Task HandleAsync(OrderItemRemoved e, EventContext context, CancellationToken ct)
    {
        await split.RemoveLineAsync(context.Tx, e.OrderId, e.LineNo, ct);
        await FollowAsync(context, e.OrderId, e.TotalPrice, e.RemovedAt, null, ct);
    }

    public async Task HandleAsync(OrderMerged e, EventContext context, CancellationToken ct)
    {
        await split.CopyLinesAsync(context.Tx, e.OrderId, e.IntoOrderId, e.LineOffset, ct);
        await FollowAsync(context, e.IntoOrderId, e.IntoTotalPrice, e.MergedAt, e.IntoCovers, ct);
    }

    private async Task FollowAsync(EventContext context, Guid orderId, decimal total, DateTimeOffset asOf, int? covers, CancellationToken ct)
    {
        if (await bills.SetSubtotalAsync(context.Tx, orderId, total, asOf, ct, covers) is { } bill)
            logger.LogInformation("Bill {BillId} of order {OrderId} now {Total}", bill.Id, orderId, bill.TotalAmount);
    }
}
