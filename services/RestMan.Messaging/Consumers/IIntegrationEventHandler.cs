namespace RestMan.Messaging;

/// <summary>
/// Applies one integration event to the service's own state. Runs inside the consumer's database transaction
/// (<see cref="EventContext.Tx"/>), together with the inbox record that makes a redelivery a no-op.
/// It may run more than once (serialization retries, failed attempts): keep effects in that transaction, and
/// announce follow-up events with <c>context.Tx.Publish</c>, never by calling other systems directly.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, EventContext context, CancellationToken ct);
}
