using Npgsql;
using RestMan.Billing.Model;
using RestMan.Data;

namespace RestMan.Billing.Infrastructure;

/// <summary>The SQL over discount codes and the restaurants' charges (tax, service charge).</summary>
public sealed class DiscountRepository(NpgsqlDataSource dataSource)
{
    private const string CodeColumns = "id, restaurant_id, code, kind, value, valid_from, valid_until, min_spend, max_uses, uses, created_at";

    /// <summary>Stores the code; false when the restaurant already has one by that name.</summary>
    public async Task<bool> InsertCodeAsync(DiscountCode code, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO billing.discount_codes ({CodeColumns})
            VALUES (@id, @restaurant_id, @code, @kind, @value, @valid_from, @valid_until, @min_spend, @max_uses, 0, @created_at)
            ON CONFLICT (restaurant_id, code) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", code.Id);
        command.Parameters.AddWithValue("restaurant_id", code.RestaurantId);
        command.Parameters.AddWithValue("code", code.Code);
        command.Parameters.AddWithValue("kind", code.Kind);
        command.Parameters.AddWithValue("value", code.Value);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("valid_from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = code.ValidFrom });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("valid_until", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = code.ValidUntil });
        command.Parameters.AddWithValue("min_spend", code.MinSpend);
        command.Parameters.Add(new NpgsqlParameter<int?>("max_uses", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = code.MaxUses });
        command.Parameters.AddWithValue("created_at", code.CreatedAt);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<DiscountCode>> ListCodesAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CodeColumns} FROM billing.discount_codes WHERE restaurant_id = @restaurant_id ORDER BY code");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        var codes = new List<DiscountCode>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) codes.Add(Read(reader));
        return codes;
    }

    /// <summary>The restaurant's code, locked until the transaction ends: its uses are counted one at a time.</summary>
    public async Task<DiscountCode?> LockCodeAsync(UnitOfWork tx, Guid restaurantId, string code, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {CodeColumns} FROM billing.discount_codes WHERE restaurant_id = @restaurant_id AND code = @code FOR UPDATE");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("code", code);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task CountUseAsync(UnitOfWork tx, Guid codeId, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE billing.discount_codes SET uses = uses + 1 WHERE id = @id");
        command.Parameters.AddWithValue("id", codeId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<RestaurantCharges?> FindChargesAsync(Guid restaurantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT tax_rate, service_charge_rate, service_charge_min_covers FROM billing.restaurant_charges WHERE restaurant_id = @restaurant_id");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return await ReadChargesAsync(command, ct);
    }

    public async Task<RestaurantCharges?> FindChargesAsync(UnitOfWork tx, Guid restaurantId, CancellationToken ct)
    {
        await using var command = tx.Command(
            "SELECT tax_rate, service_charge_rate, service_charge_min_covers FROM billing.restaurant_charges WHERE restaurant_id = @restaurant_id");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        return await ReadChargesAsync(command, ct);
    }

    public async Task SaveChargesAsync(Guid restaurantId, RestaurantCharges charges, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO billing.restaurant_charges (restaurant_id, tax_rate, service_charge_rate, service_charge_min_covers, updated_at)
            VALUES (@restaurant_id, @tax_rate, @service_rate, @min_covers, @at)
            ON CONFLICT (restaurant_id) DO UPDATE SET tax_rate = EXCLUDED.tax_rate, service_charge_rate = EXCLUDED.service_charge_rate,
                service_charge_min_covers = EXCLUDED.service_charge_min_covers, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("tax_rate", charges.TaxRate);
        command.Parameters.AddWithValue("service_rate", charges.ServiceChargeRate);
        command.Parameters.Add(new NpgsqlParameter<int?>("min_covers", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = charges.ServiceChargeMinCovers });
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<RestaurantCharges?> ReadChargesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new RestaurantCharges(reader.GetDecimal(0), reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
    }

    private static DiscountCode Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetDecimal(4),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
        r.GetDecimal(7), r.IsDBNull(8) ? null : r.GetInt32(8), r.GetInt32(9), r.GetFieldValue<DateTimeOffset>(10));
}
