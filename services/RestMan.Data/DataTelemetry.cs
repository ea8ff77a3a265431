using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RestMan.Data;

/// <summary>The meter and events RestMan.Data reports; listen to the "RestMan.Data" meter.</summary>
public static class DataTelemetry
{
    public const string Name = "RestMan.Data";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> TransactionRetries =
        Meter.CreateCounter<long>("restman.db.transaction.retries", description: "Transactions run again after a serialization failure or deadlock.");

    private static readonly Counter<long> OutageRetries =
        Meter.CreateCounter<long>("restman.db.outage.retries", description: "Transactions run again because the database went away before their commit.");

    internal static void RecordOutageRetry(Exception exception)
    {
        OutageRetries.Add(1, new KeyValuePair<string, object?>("error.type", exception.GetType().Name));
        Activity.Current?.AddEvent(new ActivityEvent("db.outage.retry", tags: new ActivityTagsCollection { ["error.type"] = exception.GetType().Name }));
    }

    internal static void RecordTransactionRetry(int failedAttempt, Exception exception)
    {
        var sqlState = PostgresErrors.SqlStateOf(exception);
        TransactionRetries.Add(1, new KeyValuePair<string, object?>("db.response.status_code", sqlState));
        Activity.Current?.AddEvent(new ActivityEvent("db.transaction.retry", tags: new ActivityTagsCollection
        {
            ["db.transaction.attempt"] = failedAttempt,
            ["db.response.status_code"] = sqlState,
        }));
    }
}
