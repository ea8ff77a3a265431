using System.Collections.Concurrent;
using StackExchange.Redis;

namespace RestMan.Gateway.Security;

/// <summary>Permits a counter handed out, and how long their window still runs.</summary>
public readonly record struct BudgetGrant(int Permits, TimeSpan WindowLeft);

/// <summary>
/// Where a client's budget of one fixed window is counted. A window starts with the first take after the previous one
/// ended and lasts <c>window</c>; a take never hands out more than what is left of <c>permits</c> in it.
/// </summary>
public interface IBudgetCounter
{
    /// <summary>Takes up to <paramref name="block"/> permits of <paramref name="client"/>'s budget (fewer, or 0, when it is nearly or wholly spent).</summary>
    ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window);
}

/// <summary>The budget every gateway replica spends: one Redis key per client, taken from in blocks by one atomic script.</summary>
public sealed class RedisBudgetCounter(IConnectionMultiplexer redis) : IBudgetCounter
{
    /// <summary>Redis keys of the budgets: <c>{prefix}&lt;address&gt;</c>, a counter that expires with its window.</summary>
    public const string KeyPrefix = "restman:gateway:budget:";

    // Takes min(block, what is left) so the counter is what was handed out; the window starts with the key and ends with its expiry.
    private const string Take = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local take = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used)
        if take > 0 then redis.call('INCRBY', KEYS[1], take) else take = 0 end
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then
          left = tonumber(ARGV[3])
          redis.call('PEXPIRE', KEYS[1], left)
        end
        return { take, left }
        """;

    public async ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window)
    {
        // While disconnected, commands would queue until they time out: say so at once and let the caller count alone.
        if (!redis.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
        var reply = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Take,
            [KeyPrefix + client], [block, permits, (long)window.TotalMilliseconds]))!;
        return new BudgetGrant((int)reply[0], TimeSpan.FromMilliseconds((long)reply[1]));
    }
}

/// <summary>A budget counted in this process: a gateway's own while Redis is away, and the tests' stand-in for Redis.</summary>
public sealed class LocalBudgetCounter(TimeProvider clock) : IBudgetCounter
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public ValueTask<BudgetGrant> TakeAsync(string client, int block, int permits, TimeSpan window)
    {
        var now = clock.GetUtcNow();
        var current = _windows.GetOrAdd(client, _ => new Window());
        lock (current)
        {
            if (now >= current.Ends)
            {
                current.Used = 0;
                current.Ends = now + window;
            }
            var take = Math.Max(0, Math.Min(block, permits - current.Used));
            current.Used += take;
            return ValueTask.FromResult(new BudgetGrant(take, current.Ends - now));
        }
    }

    private sealed class Window
    {
        public int Used;
        public DateTimeOffset Ends = DateTimeOffset.MinValue;
    }
}
