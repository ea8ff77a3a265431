using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;

namespace RestMan.Orders.IntegrationEvents.EventHandling;

/// <summary>Learns each customer's email address from their sign-ins, so an order can tell them when it is ready.</summary>
public sealed class CustomerSignedInHandler(ReadyEmailRepository emails) : IIntegrationEventHandler<UserLoginSucceeded>
{
    public async Task HandleAsync(UserLoginSucceeded integrationEvent, EventContext context, CancellationToken ct)
    {
        if (integrationEvent.Role != Roles.Customer) return;
        await emails.SaveContactAsync(context.Tx, integrationEvent.UserId, integrationEvent.Email, integrationEvent.LoginAt, ct);
    }
}
