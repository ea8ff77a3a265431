using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>
/// Records integration events in the service's outbox, in the same transaction as the state change they announce:
/// both commit or neither does. The relay publishes them after the commit. Reached through <c>tx.Publish</c>.
/// </summary>
/// <remarks>
/// Each event takes the next number of its aggregate's stream by updating that stream's counter row, so two
/// transactions writing events of one aggregate queue on that row (a SERIALIZABLE loser is retried) and the numbers
/// follow commit order; writers of different aggregates never meet.
/// </remarks>
internal sealed class OutboxWriter(OutboxStore store, IOptions<MessagingOptions> messaging, OutboxSignal signal, TimeProvider timeProvider)
    : IUnitOfWorkOutbox
{
    private readonly MessagingOptions _messaging = messaging.Value;

    public NpgsqlBatchCommand Append(object integrationEvent) =>
        Append(integrationEvent as IIntegrationEvent ?? throw new ArgumentException(
            $"{integrationEvent.GetType().Name} is not an integration event.", nameof(integrationEvent)));

    /// <summary>The outbox insert of <paramref name="integrationEvent"/>, for the caller's batch in its transaction.</summary>
    public NpgsqlBatchCommand Append(IIntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var descriptor = EventCatalog.Of(integrationEvent);
        return store.AddCommand(new OutboxRow(
            EventId: Guid.NewGuid(),
            EventType: descriptor.EventType,
            EventVersion: descriptor.Version,
            Topic: _messaging.TopicOf(descriptor),
            Key: descriptor.KeyOf(integrationEvent),
            KeySeq: 0, // assigned by the insert: the stream's next number
            Payload: JsonSerializer.Serialize(integrationEvent, descriptor.PayloadType, MessagingJson.Options),
            Source: _messaging.Source,
            TraceParent: MessagingTelemetry.CurrentTraceParent(),
            CreatedAt: timeProvider.GetUtcNow()));
    }

    public void Notify() => signal.Notify();
}

/// <summary><c>tx.Publish(event)</c>: the one way a service announces a change.</summary>
public static class UnitOfWorkPublishing
{
    /// <summary>
    /// Writes <paramref name="integrationEvent"/> to the outbox with the transaction's next batch (or just before its
    /// commit) and wakes the relay once it committed; returns its event id.
    /// </summary>
    public static Guid Publish(this UnitOfWork tx, IIntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var outbox = tx.Outbox ?? throw new InvalidOperationException("This service has no outbox: call AddOutbox to publish events.");
        var command = outbox.Append(integrationEvent);
        tx.Enqueue(command);
        tx.AfterCommit(outbox.Notify);
        return (Guid)command.Parameters["event_id"].Value!;
    }
}
