using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RestMan.Messaging;

/// <summary>
/// Records integration events in the service's outbox, in the same transaction as the state change they announce:
/// both commit or neither does. The relay publishes them after the commit.
/// </summary>
/// <remarks>
/// Use it inside RestMan.Data's <c>InTransactionAsync</c>. Each event takes the next number of its aggregate's stream
/// by updating that stream's counter row, so two transactions writing events of one aggregate queue on that row (a
/// SERIALIZABLE loser is retried) and the numbers follow commit order; writers of different aggregates never meet.
/// Call <see cref="IOutboxSignal.Notify"/> after the commit for prompt delivery.
/// </remarks>
public sealed class OutboxWriter
{
    private readonly OutboxStore _store;
    private readonly MessagingOptions _messaging;
    private readonly TimeProvider _timeProvider;

    internal OutboxWriter(OutboxStore store, IOptions<MessagingOptions> messaging, TimeProvider timeProvider)
    {
        _store = store;
        _messaging = messaging.Value;
        _timeProvider = timeProvider;
    }

    /// <summary>Adds <paramref name="integrationEvent"/> to the outbox within <paramref name="transaction"/>; returns its event id.</summary>
    public async Task<Guid> AddAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IIntegrationEvent integrationEvent,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var command = AddCommand(integrationEvent);
        batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
        return (Guid)command.Parameters["event_id"].Value!;
    }

    /// <summary>
    /// The outbox insert of <paramref name="integrationEvent"/>, for the caller to send in its own batch in the
    /// transaction: the state change and its event then cost one round trip.
    /// </summary>
    public NpgsqlBatchCommand AddCommand(IIntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var descriptor = EventCatalog.Of(integrationEvent);
        return _store.AddCommand(new OutboxRow(
            EventId: Guid.NewGuid(),
            EventType: descriptor.EventType,
            EventVersion: descriptor.Version,
            Topic: _messaging.TopicOf(descriptor),
            Key: descriptor.KeyOf(integrationEvent),
            KeySeq: 0, // assigned by the insert: the stream's next number
            Payload: JsonSerializer.Serialize(integrationEvent, descriptor.PayloadType, MessagingJson.Options),
            Source: _messaging.Source,
            TraceParent: MessagingTelemetry.CurrentTraceParent(),
            CreatedAt: _timeProvider.GetUtcNow()));
    }
}
