using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RestMan.Caching;

/// <summary>
/// JSON values (snake_case) in Redis with a time to live, safe against the read-after-invalidate race: invalidation
/// replaces the entry with a unique tombstone, and a reader stores what it loaded only if the entry is still what it
/// saw before loading (one atomic script). So a reader that loaded before a write committed can never put the old
/// value back after that write's invalidation. Redis being down never fails a read: the value then comes from the
/// factory and counts as a miss.
/// </summary>
public sealed class RedisCache(IConnectionMultiplexer redis, ILogger<RedisCache> logger)
{
    /// <summary>Outlives any in-flight reader, so an expired tombstone never looks like the empty entry it saw.</summary>
    public static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(10);

    private const string TombstonePrefix = "~invalidated:";

    // KEYS[1] the key; ARGV: [1] "1" when an entry was seen (else "0"), [2] the entry seen, [3] the value, [4] TTL ms.
    private const string StoreIfUnchanged =
        """
        local current = redis.call('GET', KEYS[1])
        if (ARGV[1] == '0' and not current) or (ARGV[1] == '1' and current == ARGV[2]) then
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
            return 1
        end
        return 0
        """;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The cached value, or the factory's (stored unless it is null, so unknown ids never fill Redis).</summary>
    public async Task<CacheResult<T>> GetOrCreateAsync<T>(
        string key,
        Func<CancellationToken, Task<T>> factory,
        TimeSpan ttl,
        CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);

        var database = redis.GetDatabase();
        var (seen, readable) = await TryReadAsync(database, key, ct);
        if (seen.HasValue && !IsTombstone(seen) && TryDeserialize<T>(key, seen, out var value))
        {
            return new CacheResult<T>(value, Hit: true);
        }

        var created = await factory(ct);
        if (readable && created is not null)
        {
            await TryStoreAsync(database, key, seen, JsonSerializer.SerializeToUtf8Bytes(created, JsonOptions), ttl, ct);
        }
        return new CacheResult<T>(created, Hit: false);
    }

    /// <summary>
    /// Call after the commit that changed the value, before answering. A failure is logged, not thrown: the write
    /// has committed, and the entry's TTL bounds how long it can stay stale.
    /// </summary>
    public async Task InvalidateAsync(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await redis.GetDatabase().StringSetAsync(key, TombstonePrefix + Guid.NewGuid().ToString("N"), TombstoneLifetime);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Could not invalidate cache key {Key}; it expires with its TTL", key);
        }
    }

    private async Task<(RedisValue Seen, bool Readable)> TryReadAsync(IDatabase database, string key, CancellationToken ct)
    {
        try
        {
            return (await database.StringGetAsync(key).WaitAsync(ct), true);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Cache read of {Key} failed; creating the value instead", key);
            return (RedisValue.Null, false);
        }
    }

    private async Task TryStoreAsync(IDatabase database, string key, RedisValue seen, byte[] json, TimeSpan ttl, CancellationToken ct)
    {
        try
        {
            await database.ScriptEvaluateAsync(StoreIfUnchanged, [key],
            [
                seen.HasValue ? "1" : "0",
                seen.HasValue ? seen : RedisValue.EmptyString,
                json,
                (long)ttl.TotalMilliseconds,
            ]).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Cache write of {Key} failed; serving the value uncached", key);
        }
    }

    private bool TryDeserialize<T>(string key, RedisValue cached, out T value)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>((byte[])cached!, JsonOptions)!;
            return true;
        }
        catch (JsonException ex)
        {
            // An entry written by an older shape of T: recreate it rather than fail the read.
            logger.LogWarning(ex, "Cached value of {Key} no longer deserializes; recreating it", key);
            value = default!;
            return false;
        }
    }

    // JSON never starts with '~'; only a tombstone does.
    private static bool IsTombstone(RedisValue value) => ((byte[])value!) is [(byte)'~', ..];

    private static bool IsRedisUnavailable(Exception exception) => exception is RedisException or TimeoutException;
}
