namespace RestMan.Data;

/// <summary>How often, and how patiently, a conflicting transaction is run again.</summary>
public sealed record TransactionRetryPolicy
{
    public static TransactionRetryPolicy Default { get; } = new();

    /// <summary>
    /// For work that looks a row up and inserts it when missing: two such transactions can both miss it, and the loser's
    /// insert breaks the unique key. Run again, the loser finds the winner's row.
    /// </summary>
    public static TransactionRetryPolicy LookThenInsert { get; } = new() { UniqueViolationAttempts = 3 };

    /// <summary>Total attempts, the first included.</summary>
    public int MaxAttempts { get; init; } = 10;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a transaction waits for a database that went away (a restart, a failover) before the caller sees the
    /// outage: a restart of a few seconds is then invisible to users. Zero turns this off.
    /// </summary>
    public TimeSpan OutagePatience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Also run the work again when the connection was lost during COMMIT, whose outcome is then unknown. Only for work
    /// that finds its own earlier commit and does nothing twice (e.g. it first looks up the request's idempotency key).
    /// </summary>
    public bool RetryUncertainCommit { get; init; }

    /// <summary>
    /// Total attempts, the first included, when the work breaks a unique key (23505); 1 (the default) surfaces the
    /// violation at once. More only for work that looks first and so finds what the other transaction inserted.
    /// </summary>
    public int UniqueViolationAttempts { get; init; } = 1;

    /// <summary>Pause between attempts to reach a database that went away.</summary>
    public TimeSpan OutageRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Exponential backoff with jitter, so contending writers do not retry in lockstep.</summary>
    public TimeSpan DelayBeforeRetry(int failedAttempts)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempts - 1));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
