using StackExchange.Redis;

namespace RestMan.Caching;

/// <summary>
/// "This restaurant's menu changed", on a Redis channel: the Restaurants service says it after every menu write it
/// commits (through the API or from an event, e.g. a food sold out), and every gateway drops its cached copy at once.
/// Best effort: a gateway that misses it keeps the copy for its short freshness only.
/// </summary>
public static class MenuChanges
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("restman:menu-changed");

    public static async Task PublishAsync(IConnectionMultiplexer redis, Guid restaurantId)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, restaurantId.ToString());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The freshness bound still holds; nothing to undo.
        }
    }

    public static Task SubscribeAsync(IConnectionMultiplexer redis, Func<Guid, Task> onChange) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (channel, message) =>
        {
            if (Guid.TryParse(message.ToString(), out var restaurantId)) _ = onChange(restaurantId);
        });
}
