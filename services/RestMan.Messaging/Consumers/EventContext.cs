using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>What a handler gets besides the event: its envelope and the unit of work to write (and publish) through.</summary>
public sealed class EventContext
{
    internal EventContext(EventEnvelope envelope, string topic, UnitOfWork tx)
    {
        Envelope = envelope;
        Topic = topic;
        Tx = tx;
    }

    public EventEnvelope Envelope { get; }

    /// <summary>The topic the event was consumed from (with the host's prefix, if any).</summary>
    public string Topic { get; }

    /// <summary>Commits after the handlers return, with the inbox record, and before the Kafka offset.</summary>
    public UnitOfWork Tx { get; }
}
