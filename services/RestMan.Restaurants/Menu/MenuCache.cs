using System.Text.Json;
using RestMan.Caching;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;
using StackExchange.Redis;

namespace RestMan.Restaurants.Menu;

/// <summary>A restaurant's menu as cached: who owns it and whether it is public decide who may read it.</summary>
public sealed record CachedMenu(Guid OwnerUserId, bool IsActive, MenuResponse Menu);

/// <summary>
/// The public menu in Redis under <c>menu:{restaurant_id}</c> for 5–10 minutes. A write invalidates it after its
/// commit by replacing the entry with a unique tombstone, and a reader stores the menu it loaded only if the entry
/// is still what it saw before loading (one atomic script). So a reader that loaded the database before a commit can
/// never put its older menu back after that commit's invalidation: once a write has returned, every reader sees it.
/// RedisCache.GetOrCreateAsync stores unconditionally, which leaves exactly that window open; hence this class.
/// Redis being down never fails a read: the menu comes from the database and counts as a miss.
/// </summary>
public sealed class MenuCache(IConnectionMultiplexer redis, MenuReader reader, ILogger<MenuCache> logger)
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromMinutes(10);
    private const string TombstonePrefix = "~invalidated:";

    // KEYS[1] the menu key; ARGV: [1] "1" when an entry was seen (else "0"), [2] the entry seen, [3] the menu, [4] TTL ms.
    private const string StoreIfUnchanged =
        """
        local current = redis.call('GET', KEYS[1])
        if (ARGV[1] == '0' and not current) or (ARGV[1] == '1' and current == ARGV[2]) then
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
            return 1
        end
        return 0
        """;

    public static string KeyOf(Guid restaurantId) => $"menu:{restaurantId}";

    /// <summary>The restaurant's menu, from Redis when cached; null when there is no such restaurant.</summary>
    public async Task<CacheResult<CachedMenu>?> GetAsync(Guid restaurantId, CancellationToken ct)
    {
        var key = KeyOf(restaurantId);
        var database = redis.GetDatabase();
        var (seen, readable) = await TryReadAsync(database, key, ct);
        if (seen.HasValue && !IsTombstone(seen) && TryDeserialize(key, seen) is { } cached)
            return new CacheResult<CachedMenu>(cached, Hit: true);

        var loaded = await reader.LoadAsync(restaurantId, ct);
        if (loaded is null) return null; // unknown ids are not cached: random ids must not fill Redis
        if (readable) await TryStoreAsync(database, key, seen, loaded, ct);
        return new CacheResult<CachedMenu>(loaded, Hit: false);
    }

    /// <summary>
    /// Call after the commit that changed the menu, before answering. A failure is logged, not thrown: the change has
    /// committed, and the entry's TTL bounds how long it can stay stale.
    /// </summary>
    public async Task InvalidateAsync(Guid restaurantId)
    {
        var key = KeyOf(restaurantId);
        try
        {
            // Outlives any in-flight reader, so an expired tombstone can never look like the empty entry that reader saw.
            await redis.GetDatabase().StringSetAsync(key, TombstonePrefix + Guid.NewGuid().ToString("N"), MaxTtl);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Could not invalidate menu cache {Key}; it expires with its TTL", key);
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
            logger.LogWarning(ex, "Menu cache read of {Key} failed; reading the database instead", key);
            return (RedisValue.Null, false);
        }
    }

    private async Task TryStoreAsync(IDatabase database, string key, RedisValue seen, CachedMenu menu, CancellationToken ct)
    {
        var ttl = MinTtl + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * (MaxTtl - MinTtl).TotalMilliseconds);
        try
        {
            await database.ScriptEvaluateAsync(StoreIfUnchanged, [key],
            [
                seen.HasValue ? "1" : "0",
                seen.HasValue ? seen : RedisValue.EmptyString,
                JsonSerializer.SerializeToUtf8Bytes(menu, Json.Options),
                (long)ttl.TotalMilliseconds,
            ]).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisUnavailable(ex))
        {
            logger.LogWarning(ex, "Menu cache write of {Key} failed; serving the menu uncached", key);
        }
    }

    private CachedMenu? TryDeserialize(string key, RedisValue cached)
    {
        try
        {
            return JsonSerializer.Deserialize<CachedMenu>((byte[])cached!, Json.Options);
        }
        catch (JsonException ex)
        {
            // An entry written by an older shape of the menu: reload it rather than fail the read.
            logger.LogWarning(ex, "Cached menu {Key} no longer deserializes; reloading it", key);
            return null;
        }
    }

    // A menu is JSON and starts with '{'; only a tombstone starts with the prefix's '~'.
    private static bool IsTombstone(RedisValue value) => ((byte[])value!) is [(byte)'~', ..];

    private static bool IsRedisUnavailable(Exception exception) => exception is RedisException or TimeoutException;
}
