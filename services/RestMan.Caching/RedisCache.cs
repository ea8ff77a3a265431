using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RestMan.Caching;

/// <summary>
/// JSON values (snake_case) in Redis with a time to live. Redis being down never fails a read:
/// the value is then created by the factory and reported as a miss.
/// </summary>
public sealed class RedisCache(IConnectionMultiplexer redis, ILogger<RedisCache> logger)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

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
        var cached = await TryReadAsync(database, key, ct);
        if (cached.HasValue && TryDeserialize<T>(key, cached, out var value))
        {
            return new CacheResult<T>(value, Hit: true);
        }

        var created = await factory(ct);
        await TryWriteAsync(database, key, JsonSerializer.SerializeToUtf8Bytes(created, JsonOptions), ttl, ct);
        return new CacheResult<T>(created, Hit: false);
    }

    /// <summary>
    /// Deletes the key. A failure is logged, not thrown: the write that triggered the invalidation has
    /// already committed, and the entry's TTL bounds how long it can stay stale.
    /// </summary>
    public async Task InvalidateAsync(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Could not invalidate cache key {Key}; it expires with its TTL", key);
        }
    }

    private async Task<RedisValue> TryReadAsync(IDatabase database, string key, CancellationToken ct)
    {
        try
        {
            return await database.StringGetAsync(key).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Cache read of {Key} failed; creating the value instead", key);
            return RedisValue.Null;
        }
    }

    private async Task TryWriteAsync(IDatabase database, string key, byte[] json, TimeSpan ttl, CancellationToken ct)
    {
        try
        {
            await database.StringSetAsync(key, json, ttl).WaitAsync(ct);
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

    private static bool IsRedisUnavailable(Exception exception) => exception is RedisException or TimeoutException;
}
