using RestMan.Caching;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Menu;

/// <summary>A restaurant's menu as cached: who owns it and whether it is public decide who may read it.</summary>
public sealed record CachedMenu(Guid OwnerUserId, bool IsActive, MenuResponse Menu);

/// <summary>
/// The public menu in Redis under <c>menu:v2:{restaurant_id}</c> for 5–10 minutes (jittered so menus do not all expire
/// together). RedisCache's invalidation guarantees that once a write has returned, no reader sees the old menu.
/// </summary>
public sealed class MenuCache(RedisCache cache, MenuReader reader, StackExchange.Redis.IConnectionMultiplexer redis)
{
    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromMinutes(10);

    // v2: menus with modifiers and allergens; an entry cached before them lacks those lists and is never read.
    public static string KeyOf(Guid restaurantId) => $"menu:v2:{restaurantId}";

    /// <summary>The restaurant's menu, from Redis when cached; null when there is no such restaurant.</summary>
    public async Task<CacheResult<CachedMenu>?> GetAsync(Guid restaurantId, CancellationToken ct)
    {
        var ttl = MinTtl + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * (MaxTtl - MinTtl).TotalMilliseconds);
        var result = await cache.GetOrCreateAsync(KeyOf(restaurantId), token => reader.LoadAsync(restaurantId, token), ttl, ct);
        return result.Value is { } menu ? new CacheResult<CachedMenu>(menu, result.Hit) : null;
    }

    /// <summary>Call after the commit that changed the menu, before answering: drops it here and in every gateway.</summary>
    public async Task InvalidateAsync(Guid restaurantId)
    {
        await cache.InvalidateAsync(KeyOf(restaurantId));
        await MenuChanges.PublishAsync(redis, restaurantId);
    }
}
