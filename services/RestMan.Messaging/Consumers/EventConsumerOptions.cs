namespace RestMan.Messaging;

/// <summary>The service's one consumer group and how it treats failing messages; tunable under "Messaging:Consumer".</summary>
public sealed class EventConsumerOptions
{
    public const string SectionName = "Messaging:Consumer";

    public string GroupId { get; set; } = "";

    /// <summary>The service's schema, which holds its <c>inbox</c>.</summary>
    public string Schema { get; set; } = "";

    /// <summary>Attempts per message, the first included, before it goes to <c>&lt;topic&gt;.dlq</c>.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Most events handled in one transaction; a batch holds only what had already arrived, so it grows only under load.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Wait after the first failed attempt; doubles per further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
