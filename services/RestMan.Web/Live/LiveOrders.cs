using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace RestMan.Web.Live;

/// <summary>Something happened to an order: placed, moved, billed or paid. <c>RestaurantId</c> is null when not known.</summary>
public sealed record OrderChange(Guid OrderId, Guid? RestaurantId, string EventType, string? Status);

/// <summary>
/// In-process fan-out of order events to the screens open on this server (each Blazor circuit already is a SignalR
/// connection, so a screen re-renders itself). Screens watch a restaurant (kitchen display, console) or one order
/// (tracking page). Status events carry no restaurant id: it is remembered from <c>order.placed</c>/<c>bill.generated</c>,
/// and when it is not known the change goes to every restaurant watcher, which looks only at orders it shows.
/// </summary>
public sealed class LiveOrders(ILogger<LiveOrders> logger)
{
    private readonly ConcurrentDictionary<Guid, Watchers> _byRestaurant = new();
    private readonly ConcurrentDictionary<Guid, Watchers> _byOrder = new();
    private readonly MemoryCache _restaurantOfOrder = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    public IDisposable WatchRestaurant(Guid restaurantId, Func<OrderChange, Task> onChange) => Watch(_byRestaurant, restaurantId, onChange);

    public IDisposable WatchOrder(Guid orderId, Func<OrderChange, Task> onChange) => Watch(_byOrder, orderId, onChange);

    public void Publish(OrderChange change)
    {
        if (change.RestaurantId is { } known)
            _restaurantOfOrder.Set(change.OrderId, known, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(12) });
        else if (_restaurantOfOrder.TryGetValue(change.OrderId, out Guid remembered))
            change = change with { RestaurantId = remembered };

        if (_byOrder.TryGetValue(change.OrderId, out var orderWatchers)) Notify(orderWatchers, change);
        if (change.RestaurantId is { } restaurant)
        {
            if (_byRestaurant.TryGetValue(restaurant, out var restaurantWatchers)) Notify(restaurantWatchers, change);
        }
        else
        {
            foreach (var watchers in _byRestaurant.Values) Notify(watchers, change);
        }
    }

    private IDisposable Watch(ConcurrentDictionary<Guid, Watchers> map, Guid key, Func<OrderChange, Task> onChange)
    {
        var watcher = new Watcher(onChange);
        map.GetOrAdd(key, _ => new Watchers()).Add(watcher);
        return new Subscription(() =>
        {
            if (map.TryGetValue(key, out var watchers) && watchers.Remove(watcher))
                map.TryRemove(new KeyValuePair<Guid, Watchers>(key, watchers));
        });
    }

    // The consumer thread never waits for a screen: each callback runs on its own and its failure is only logged.
    private void Notify(Watchers watchers, OrderChange change)
    {
        foreach (var watcher in watchers.Snapshot())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await watcher.OnChange(change);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "A screen failed to take order change {EventType} of {OrderId}", change.EventType, change.OrderId);
                }
            });
        }
    }

    private sealed record Watcher(Func<OrderChange, Task> OnChange);

    private sealed class Watchers
    {
        private readonly Lock _lock = new();
        private readonly List<Watcher> _items = [];

        public void Add(Watcher watcher)
        {
            lock (_lock) _items.Add(watcher);
        }

        /// <summary>True when this was the last watcher.</summary>
        public bool Remove(Watcher watcher)
        {
            lock (_lock)
            {
                _items.Remove(watcher);
                return _items.Count == 0;
            }
        }

        public Watcher[] Snapshot()
        {
            lock (_lock) return [.. _items];
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
