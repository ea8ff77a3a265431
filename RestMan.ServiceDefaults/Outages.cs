using System.Data.Common;
using System.Net.Sockets;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one rule for "a dependency is briefly unavailable": not the request's or the message's fault. An HTTP caller gets
/// 503 with Retry-After, a read is retried, a consumer waits without using up a message's attempts; the transaction
/// retry tells the two kinds apart, since a conflict has its own attempt budget and an unreachable database its patience.
/// </summary>
public static class Outages
{
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    /// <summary>Either kind: what a caller outside the transaction retry treats as "try again shortly".</summary>
    public static bool IsOutage(Exception exception) => IsUnreachable(exception) || IsConflict(exception);

    /// <summary>
    /// The dependency could not be reached, dropped the connection or is short of resources: refused or reset sockets,
    /// timeouts, connection-class SQLSTATEs (08xxx), a server shutting down or starting up (57P0x), 53xxx, and the
    /// driver's own transient errors that carry no SQLSTATE.
    /// </summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // By SQLSTATE class when the server answered, not IsTransient: that also covers 40001.
                case DbException { SqlState: { Length: > 0 } state }:
                    return state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
                           || state.StartsWith("57P", StringComparison.Ordinal);
                case DbException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A call to another service over HTTP got no answer: unreachable, timed out (its own timeout, the resilience
    /// pipeline's, or HttpClient's, which cancels while <paramref name="callerToken"/> is still live) or its circuit is
    /// open. The caller's own cancellation is not an outage.
    /// </summary>
    public static bool IsUnanswered(Exception exception, CancellationToken callerToken) =>
        exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
        || (exception is OperationCanceledException && !callerToken.IsCancellationRequested);

    /// <summary>
    /// A serialization failure (40001) or deadlock (40P01): the whole transaction may simply be run again (CockroachDB's
    /// "restart transaction"); one that outlasted the retry budget is still an outage, not a fault.
    /// </summary>
    public static bool IsConflict(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { SqlState: { Length: > 0 } state }) return state is SerializationFailure or DeadlockDetected;
        }
        return false;
    }
}
