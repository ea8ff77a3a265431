using RestMan.Data;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>Opens a round's tickets, one per station its lines are routed to, and announces each (<c>kitchen.ticket_opened</c>).</summary>
public sealed class TicketOpening(TicketRepository tickets, StationRepository stations)
{
    /// <summary>How many tickets were opened: none when the round already has its tickets.</summary>
    public async Task<int> OpenAsync(UnitOfWork tx, KitchenTicket round, CancellationToken ct)
    {
        var routes = await stations.OfRestaurantAsync(tx, round.RestaurantId, ct);
        var categories = routes.Count == 0 ? new Dictionary<Guid, Guid>() : await stations.CategoriesOfAsync(tx, round.Items.Select(i => i.FoodId).ToList(), ct);
        var lines = round.Items.Select((item, i) => new RoutedLine(item with { OrderLineNo = item.OrderLineNo ?? i + 1 },
            categories.TryGetValue(item.FoodId, out var category) ? category : null)).ToList();
        var opened = 0;
        var now = tx.Clock.GetUtcNow();
        foreach (var (stationId, stationName, items) in StationRouting.Split(routes, lines))
        {
            var ticket = round with { Id = Guid.NewGuid(), Items = items, StationId = stationId, StationName = stationName };
            if (!await tickets.OpenAsync(tx, ticket, ct)) continue;
            tx.Publish(new KitchenTicketOpened(ticket.Id, ticket.OrderId, ticket.RestaurantId, ticket.Round, ticket.IsTableOrder,
                stationId == StationRouting.WholeKitchen ? null : stationId, stationName, items.Count, now));
            opened++;
        }
        return opened;
    }
}
