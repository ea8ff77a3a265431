using RestMan.Data;
using RestMan.Kitchen.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>
/// Moves a ticket inside the caller's transaction and announces the step in the kitchen's own vocabulary, with how far
/// the kitchen is with the whole round across its stations' tickets (what Orders moves the order by).
/// </summary>
public sealed class TicketProgress(TicketRepository tickets)
{
    public async Task MoveAsync(UnitOfWork tx, KitchenTicket ticket, string target, Guid? staffId, DateTimeOffset at, CancellationToken ct,
        DateTimeOffset? estimatedReadyAt = null)
    {
        await tickets.ChangeStatusAsync(tx, ticket.Id, target, at, ct);
        var round = TicketStatus.RoundProgress(await tickets.RoundStatusesAsync(tx, ticket.OrderId, ticket.Round, ct)) ?? target;
        T Step<T>() where T : KitchenTicketStep, new() =>
            KitchenTicketStep.Create<T>(ticket.Id, ticket.OrderId, ticket.RestaurantId, ticket.Round, ticket.IsTableOrder, target, round, staffId, at);
        IIntegrationEvent step = target switch
        {
            TicketStatus.Accepted => Step<KitchenTicketAccepted>() with { EstimatedReadyAt = estimatedReadyAt },
            TicketStatus.InProgress => Step<KitchenTicketStarted>(),
            TicketStatus.Ready => Step<KitchenTicketReady>(),
            TicketStatus.DeliveredToService => Step<KitchenTicketDelivered>(),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Not a step staff take."),
        };
        tx.Publish(step);
    }
}
