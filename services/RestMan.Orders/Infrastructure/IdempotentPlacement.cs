using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Data;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>A customer's <c>Idempotency-Key</c> on a placement, with the fingerprint of the request it came with.</summary>
public sealed record IdempotencyKey(Guid CustomerId, string Key, string Fingerprint)
{
    public const string Header = IdempotencyKeys.Header;
    public const int MaxLength = IdempotencyKeys.MaxLength;

    /// <summary>The shared rule (<see cref="IdempotencyKeys"/>): 1 to <see cref="MaxLength"/> visible ASCII characters.</summary>
    public static bool IsValid(string key) => IdempotencyKeys.IsValid(key);

    public static void Check(string? key, InputRules rules) => IdempotencyKeys.Check(key, rules);

    public static ProblemHttpResult Reused(string what) => IdempotencyKeys.Reused(what);
}

/// <summary>What an earlier request with the same key stored.</summary>
public sealed record EarlierPlacement(string Fingerprint, Guid OrderId);

/// <summary>How a placement ended: stored now, the earlier order of the same request, or the key reused for another order.</summary>
public abstract record PlacementOutcome
{
    public sealed record Placed : PlacementOutcome;
    public sealed record Replayed(Guid OrderId) : PlacementOutcome;
    public sealed record KeyReused : PlacementOutcome;

    /// <summary>Replays the same request; refuses a different one under the same key.</summary>
    public static PlacementOutcome Of(EarlierPlacement earlier, IdempotencyKey key) =>
        earlier.Fingerprint == key.Fingerprint ? new Replayed(earlier.OrderId) : new KeyReused();
}

/// <summary>
/// Places an order at most once per (customer, Idempotency-Key): the key is stored in the order's transaction, and a
/// request that finds it replays the first order. Two requests with one key can race past the first look; the key's
/// primary key lets one win, and the other, run again (<see cref="TransactionRetryPolicy.LookThenInsert"/>), finds the
/// winner's key and replays it.
/// </summary>
public sealed class IdempotentPlacement(Database db, OrderRepository orders)
{
    /// <summary>
    /// A shortcut for replays, before the menu is priced. Skipped (null) while the database is away: the placing
    /// transaction looks again, and waits out a restart.
    /// </summary>
    public async Task<PlacementOutcome?> FindEarlierAsync(IdempotencyKey? key, CancellationToken ct)
    {
        if (key is null) return null;
        try
        {
            return await orders.FindIdempotencyKeyAsync(key.CustomerId, key.Key, ct) is { } earlier ? PlacementOutcome.Of(earlier, key) : null;
        }
        catch (Exception ex) when (Outages.IsUnreachable(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="order"/> with <paramref name="key"/> in one transaction in which <paramref name="publish"/>
    /// queues the order's events, so the order, its key and its events take one round trip before the commit.
    /// </summary>
    public async Task<PlacementOutcome> PlaceAsync(Order order, IdempotencyKey? key, Action<UnitOfWork> publish, CancellationToken ct)
    {
        // With a key the transaction finds its own earlier commit, so even a commit cut off by a restart may run again,
        // and a race lost on the key runs again to find the winner's.
        var policy = key is null ? TransactionRetryPolicy.Default : TransactionRetryPolicy.LookThenInsert with { RetryUncertainCommit = true };
        var lookFirst = LookFirst(key is not null);
        var earlier = await db.InTransactionAsync(policy, async tx =>
        {
            if (lookFirst() && await orders.FindIdempotencyKeyAsync(tx, key!.CustomerId, key.Key, ct) is { } found)
                return found;
            publish(tx);
            await orders.InsertAsync(tx, order, key, ct);
            return null;
        }, ct);
        return earlier is null ? new PlacementOutcome.Placed() : PlacementOutcome.Of(earlier, key!);
    }

    /// <summary>
    /// Whether an attempt looks the key up before inserting: not on the very first (the caller just did), on every later
    /// one (a transaction retry, a lost race). Never without a key.
    /// </summary>
    public static Func<bool> LookFirst(bool hasKey)
    {
        var tries = 0;
        return () => hasKey && tries++ > 0;
    }
}
