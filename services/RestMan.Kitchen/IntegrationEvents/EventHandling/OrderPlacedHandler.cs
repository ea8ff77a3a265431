using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>A placed order opens a NEW ticket with its lines; exactly one per order, however often the event comes.</summary>
public sealed class OrderPlacedHandler(TicketRepository tickets, ILogger<OrderPlacedHandler> logger)
    : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
    {
        var now = context.Tx.Clock.GetUtcNow();
        var ticket = new KitchenTicket(Guid.NewGuid(), integrationEvent.OrderId, integrationEvent.RestaurantId, integrationEvent.OrderType,
            integrationEvent.Notes, TicketStatus.New, integrationEvent.PlacedAt, now, now, null)
        {
            Items = integrationEvent.Items.Select(i => new KitchenTicketItem(i.FoodId, i.FoodName, i.Quantity)).ToList(),
        };
        if (await tickets.OpenAsync(context.Tx, ticket, ct))
            logger.LogInformation("Ticket {TicketId} opened for order {OrderId}", ticket.Id, ticket.OrderId);
        else
            logger.LogInformation("Order {OrderId} already has its ticket", ticket.OrderId);
    }
}
