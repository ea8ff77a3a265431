namespace RestMan.Messaging;

/// <summary>
/// The outbox of one service schema and the pace of its relay; tunable under "Messaging:Outbox". The relay's lease is
/// not set here: it is derived from <see cref="KafkaOptions.MessageTimeout"/>, so that it outlasts a publish attempt.
/// </summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Messaging:Outbox";

    /// <summary>The service's schema, which holds <c>outbox</c> and <c>outbox_relay_lease</c>.</summary>
    public string Schema { get; set; } = "";

    /// <summary>Fallback poll for rows committed without <c>tx.Publish</c>'s wake-up (or by another instance).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most rows read per round.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Most (topic, key) streams published side by side per round; each stream is published one row at a time.</summary>
    public int MaxStreamsPerBatch { get; set; } = 100;

    /// <summary>First wait after Kafka or the database failed; doubles per consecutive failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An unsent row older than this makes the "outbox" health check red, and a relay failing this long logs an error:
    /// events that stop flowing must be noticed, not found missing later.
    /// </summary>
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sent rows are kept this long (for inspection), then deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the relay deletes rows past <see cref="SentRetention"/>.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);
}
