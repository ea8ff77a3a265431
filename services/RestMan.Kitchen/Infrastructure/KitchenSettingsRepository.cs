using Npgsql;
using RestMan.Data;

namespace RestMan.Kitchen.Infrastructure;

/// <summary>A restaurant's kitchen settings: its default delay threshold (seconds); null where the owner set none.</summary>
public sealed class KitchenSettingsRepository(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyDictionary<Guid, int>> ThresholdsAsync(IReadOnlyList<Guid> restaurantIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT restaurant_id, delay_threshold_seconds FROM kitchen.settings WHERE restaurant_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", restaurantIds.ToArray());
        var thresholds = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) thresholds[reader.GetGuid(0)] = reader.GetInt32(1);
        return thresholds;
    }

    public async Task SetThresholdAsync(UnitOfWork tx, Guid restaurantId, int seconds, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO kitchen.settings (restaurant_id, delay_threshold_seconds, updated_at) VALUES (@id, @seconds, @at)
            ON CONFLICT (restaurant_id) DO UPDATE SET delay_threshold_seconds = excluded.delay_threshold_seconds, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("id", restaurantId);
        command.Parameters.AddWithValue("seconds", seconds);
        command.Parameters.AddWithValue("at", tx.Clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
    }
}
