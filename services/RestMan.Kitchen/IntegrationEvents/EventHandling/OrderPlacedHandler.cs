using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>
/// A placed order opens a NEW ticket with its lines (round 1 of a table order); exactly one, however often the event
/// comes. A table order opened without a first round has nothing to cook yet.
/// </summary>
public sealed class OrderPlacedHandler(TicketOpening opening, ILogger<OrderPlacedHandler> logger)
    : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
    {
        if (integrationEvent.Items.Count == 0) return;
        var now = context.Tx.Clock.GetUtcNow();
        var ticket = new KitchenTicket(Guid.NewGuid(), integrationEvent.OrderId, integrationEvent.RestaurantId, integrationEvent.OrderType,
            integrationEvent.Notes, TicketStatus.New, integrationEvent.PlacedAt, now, now, null)
        {
            Items = integrationEvent.Items.Select((i, n) => KitchenTicketItem.From(i.FoodId, i.FoodName, i.Quantity, n + 1, i.Options, i.Note, i.Allergens)).ToList(),
            OrderNumber = integrationEvent.OrderNumber,
            TableId = integrationEvent.TableId,
            TableNumber = integrationEvent.TableNumber,
        };
        if (await opening.OpenAsync(context.Tx, ticket, ct) is var opened and > 0)
            logger.LogInformation("{Count} ticket(s) opened for round {Round} of order {OrderId}", opened, ticket.Round, ticket.OrderId);
    }
}
