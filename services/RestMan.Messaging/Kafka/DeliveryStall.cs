namespace RestMan.Messaging;

/// <summary>
/// Tells when a producer has stopped delivering for good: every delivery it reported for <see cref="StallAfter"/> ended
/// in a message timeout and none succeeded. Such a producer raised no fatal error, yet a fresh one (a new producer id,
/// new connections) is worth trying. One instance per producer; safe to call from any thread.
/// </summary>
internal sealed class DeliveryStall(TimeSpan stallAfter)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _timingOutSince;

    public TimeSpan StallAfter { get; } = stallAfter;

    /// <summary>
    /// Twice the message timeout: a delivery report comes within one timeout, so this is at least two timeouts in a row
    /// with nothing delivered in between — longer than the broker outages the platform rides out on its own.
    /// </summary>
    public static DeliveryStall For(TimeSpan messageTimeout) => new(2 * messageTimeout);

    public void Delivered()
    {
        lock (_gate) _timingOutSince = null;
    }

    /// <summary>A delivery timed out at <paramref name="now"/>: true when the producer should be replaced.</summary>
    public bool TimedOut(DateTimeOffset now)
    {
        lock (_gate)
        {
            _timingOutSince ??= now;
            return now - _timingOutSince.Value >= StallAfter;
        }
    }
}
