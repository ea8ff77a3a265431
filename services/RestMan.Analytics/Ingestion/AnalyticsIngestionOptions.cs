namespace RestMan.Analytics.Ingestion;

/// <summary>How events are batched into ClickHouse; tunable under "Analytics:Ingestion".</summary>
public sealed class AnalyticsIngestionOptions
{
    public const string SectionName = "Analytics:Ingestion";

    public string GroupId { get; set; } = "analytics";

    /// <summary>A batch is written once it holds this many messages...</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>...or once its first message has waited this long, whichever comes first.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Attempts to write one batch before the consumer restarts from its last committed offsets.</summary>
    public int MaxWriteAttempts { get; set; } = 4;
}
