using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>
/// The outbox and inbox tables, as migrations in the service schema's own journal. The SQL is what PostgreSQL 15
/// and CockroachDB both accept: no sequences, triggers, advisory locks or LISTEN/NOTIFY.
/// </summary>
internal static class MessagingSchema
{
    public static string Validate(string schema) => SchemaMigrator.ValidateSchemaName(schema);

    public static IReadOnlyList<Migration> Outbox(string schema) =>
    [
        new("messaging_outbox_0001",
            $"""
            -- key_seq numbers one (topic, key) stream in commit order (see outbox_streams), and the relay publishes
            -- each stream in key_seq order.
            CREATE TABLE IF NOT EXISTS {schema}.outbox (
                event_id      UUID PRIMARY KEY,
                event_type    TEXT NOT NULL,
                event_version INT4 NOT NULL,
                topic         TEXT NOT NULL,
                message_key   TEXT NOT NULL,
                key_seq       INT8 NOT NULL,
                payload       JSONB NOT NULL,
                source        TEXT NOT NULL,
                trace_parent  TEXT NULL,
                created_at    TIMESTAMPTZ NOT NULL,
                sent_at       TIMESTAMPTZ NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS outbox_stream_idx ON {schema}.outbox (topic, message_key, key_seq);
            CREATE INDEX IF NOT EXISTS outbox_pending_idx ON {schema}.outbox (created_at) WHERE sent_at IS NULL;
            CREATE INDEX IF NOT EXISTS outbox_sent_idx ON {schema}.outbox (sent_at) WHERE sent_at IS NOT NULL;
            -- One relay per schema publishes at a time; the others wait for its lease to lapse.
            CREATE TABLE IF NOT EXISTS {schema}.outbox_relay_lease (
                name       TEXT PRIMARY KEY,
                holder     TEXT NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            );
            """),
        new("messaging_outbox_0002",
            $"""
            -- The last key_seq of each (topic, key) stream. Writers take the next number with an upsert of this row:
            -- writers of one aggregate queue on its row lock (and a SERIALIZABLE loser retries), while writers of
            -- different aggregates touch different rows and never conflict, as they would reading MAX(key_seq).
            CREATE TABLE IF NOT EXISTS {schema}.outbox_streams (
                topic       TEXT NOT NULL,
                message_key TEXT NOT NULL,
                last_seq    INT8 NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (topic, message_key)
            );
            """),
    ];

    public static IReadOnlyList<Migration> Inbox(string schema) =>
    [
        new("messaging_inbox_0001",
            $"""
            CREATE TABLE IF NOT EXISTS {schema}.inbox (
                event_id    UUID PRIMARY KEY,
                event_type  TEXT NOT NULL,
                topic       TEXT NOT NULL,
                received_at TIMESTAMPTZ NOT NULL
            );
            """),
    ];
}
