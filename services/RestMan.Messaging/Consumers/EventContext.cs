using Npgsql;

namespace RestMan.Messaging;

/// <summary>What a handler gets besides the event: its envelope and the open transaction to write through.</summary>
public sealed class EventContext
{
    internal EventContext(EventEnvelope envelope, string topic, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Envelope = envelope;
        Topic = topic;
        Connection = connection;
        Transaction = transaction;
    }

    public EventEnvelope Envelope { get; }

    /// <summary>The topic the event was consumed from (with the host's prefix, if any).</summary>
    public string Topic { get; }

    public NpgsqlConnection Connection { get; }

    /// <summary>Commits after the handler returns, with the inbox record, and before the Kafka offset.</summary>
    public NpgsqlTransaction Transaction { get; }
}
