using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>A round added to a table order is its own NEW ticket at once; exactly one per (order, round).</summary>
public sealed class OrderItemsAddedHandler(TicketOpening opening, ILogger<OrderItemsAddedHandler> logger)
    : IIntegrationEventHandler<OrderItemsAdded>
{
    public async Task HandleAsync(OrderItemsAdded integrationEvent, EventContext context, CancellationToken ct)
    {
        var now = context.Tx.Clock.GetUtcNow();
        var ticket = new KitchenTicket(Guid.NewGuid(), integrationEvent.OrderId, integrationEvent.RestaurantId, "dine_in",
            integrationEvent.Notes, TicketStatus.New, integrationEvent.AddedAt, now, now, null)
        {
            Items = integrationEvent.Items.Select(i => KitchenTicketItem.From(i.FoodId, i.FoodName, i.Quantity, i.LineNo, i.Options, i.Note, i.Allergens)).ToList(),
            Round = integrationEvent.Round,
            OrderNumber = integrationEvent.OrderNumber,
            TableId = integrationEvent.TableId,
            TableNumber = integrationEvent.TableNumber,
        };
        if (await opening.OpenAsync(context.Tx, ticket, ct) is var opened and > 0)
            logger.LogInformation("{Count} ticket(s) opened for round {Round} of order {OrderId}", opened, ticket.Round, ticket.OrderId);
    }
}

/// <summary>A line taken off a table order is voided on its round's ticket.</summary>
public sealed class OrderItemRemovedHandler(TicketRepository tickets, ILogger<OrderItemRemovedHandler> logger)
    : IIntegrationEventHandler<OrderItemRemoved>
{
    public async Task HandleAsync(OrderItemRemoved integrationEvent, EventContext context, CancellationToken ct)
    {
        if (await tickets.VoidLineAsync(context.Tx, integrationEvent.OrderId, integrationEvent.Round, integrationEvent.LineNo, context.Tx.Clock.GetUtcNow(), ct))
            logger.LogInformation("Line {LineNo} of order {OrderId} voided on its round {Round} ticket",
                integrationEvent.LineNo, integrationEvent.OrderId, integrationEvent.Round);
    }
}

/// <summary>A merged order's tickets move to the order it was merged into, before its CANCELLED could cancel them.</summary>
public sealed class OrderMergedHandler(TicketRepository tickets) : IIntegrationEventHandler<OrderMerged>
{
    public Task HandleAsync(OrderMerged e, EventContext context, CancellationToken ct) =>
        tickets.MoveToOrderAsync(context.Tx, e.OrderId, e.IntoOrderId, e.RoundOffset, e.LineOffset, e.IntoOrderNumber, e.IntoTableId, e.IntoTableNumber, ct);
}

/// <summary>A party moved tables: its tickets name the new table.</summary>
public sealed class OrderTableMovedHandler(TicketRepository tickets) : IIntegrationEventHandler<OrderTableMoved>
{
    public Task HandleAsync(OrderTableMoved e, EventContext context, CancellationToken ct) =>
        tickets.MoveToTableAsync(context.Tx, e.OrderId, e.ToTableId, e.ToTableNumber, ct);
}
