using System.Collections.Concurrent;
using Npgsql;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

/// <summary>
/// Hands out order numbers per restaurant per day (UTC) without a hot row: each instance takes a block of
/// <see cref="BlockSize"/> numbers from <c>orders.order_number_counters</c> in one statement, outside any order's
/// transaction, and numbers orders from memory until it is used up. The unique index on the orders is the guard.
/// </summary>
public sealed class OrderNumbers(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int BlockSize = 20;

    private readonly ConcurrentDictionary<(Guid Restaurant, DateOnly Day), OrderNumberBlock> _blocks = new();
    private readonly SemaphoreSlim _refill = new(1, 1);

    /// <summary>The next number of the restaurant's day, and that day.</summary>
    public async Task<(string Number, DateOnly Day)> NextAsync(Guid restaurantId, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var key = (restaurantId, day);
        while (true)
        {
            _blocks.TryGetValue(key, out var block);
            if (block is not null)
            {
                int? taken;
                lock (block) taken = block.Take();
                if (taken is { } sequence) return (OrderNumberFormat.Format(sequence), day);
            }

            await _refill.WaitAsync(ct);
            try
            {
                // Another caller may have refilled while this one waited.
                if (_blocks.TryGetValue(key, out var current) && !ReferenceEquals(current, block)) continue;
                _blocks[key] = new OrderNumberBlock(await TakeBlockAsync(restaurantId, day, ct), BlockSize);
                foreach (var stale in _blocks.Keys.Where(k => k.Day < day)) _blocks.TryRemove(stale, out _);
            }
            finally
            {
                _refill.Release();
            }
        }
    }

    /// <summary>The first number of a fresh block of the restaurant's day.</summary>
    private async Task<int> TakeBlockAsync(Guid restaurantId, DateOnly day, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO orders.order_number_counters AS c (restaurant_id, service_day, next_number)
            VALUES (@restaurant_id, @day, 1 + @size)
            ON CONFLICT (restaurant_id, service_day) DO UPDATE SET next_number = c.next_number + @size
            RETURNING next_number - @size
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("day", day);
        command.Parameters.AddWithValue("size", BlockSize);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }
}
