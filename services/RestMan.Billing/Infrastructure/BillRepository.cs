using Npgsql;
using RestMan.Data;
using RestMan.Billing.Model;

namespace RestMan.Billing.Infrastructure;

/// <summary>The SQL over the <c>billing</c> schema. Methods taking a transaction run inside the caller's (retried) one.</summary>
public sealed class BillRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, order_id, user_id, restaurant_id, subtotal, tax_rate, tax_amount, discount_amount, total_amount, status, " +
        "payment_method, generated_at, paid_at, voided_at, refund_due, order_number, amount_paid, tip_amount, covers, service_charge_rate, " +
        "service_charge_min_covers, service_charge_amount, discount_code, discount_kind, discount_value, discount_reason, split_kind, amount_refunded";

    /// <summary>Stores the order's PENDING bill; false when the order already has one.</summary>
    public async Task<bool> InsertAsync(UnitOfWork tx, Bill bill, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            INSERT INTO billing.bills ({Columns}, created_at, updated_at)
            VALUES (@id, @order_id, @user_id, @restaurant_id, @subtotal, @tax_rate, @tax_amount, @discount_amount, @total_amount,
                    @status, NULL, @generated_at, NULL, NULL, FALSE, @order_number, 0, 0, @covers, @service_rate, @service_min_covers,
                    @service_amount, NULL, NULL, NULL, NULL, NULL, 0, @generated_at, @generated_at)
            ON CONFLICT (order_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", bill.Id);
        command.Parameters.AddWithValue("order_id", bill.OrderId);
        command.Parameters.AddWithValue("user_id", bill.UserId);
        command.Parameters.AddWithValue("restaurant_id", bill.RestaurantId);
        command.Parameters.AddWithValue("subtotal", bill.Subtotal);
        command.Parameters.AddWithValue("tax_rate", bill.TaxRate);
        command.Parameters.AddWithValue("tax_amount", bill.TaxAmount);
        command.Parameters.AddWithValue("discount_amount", bill.DiscountAmount);
        command.Parameters.AddWithValue("total_amount", bill.TotalAmount);
        command.Parameters.AddWithValue("status", bill.Status);
        command.Parameters.AddWithValue("generated_at", bill.GeneratedAt);
        command.Parameters.Add(new NpgsqlParameter<string?>("order_number", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = bill.OrderNumber });
        command.Parameters.Add(new NpgsqlParameter<int?>("covers", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = bill.Covers });
        command.Parameters.AddWithValue("service_rate", bill.ServiceChargeRate);
        command.Parameters.Add(new NpgsqlParameter<int?>("service_min_covers", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = bill.ServiceChargeMinCovers });
        command.Parameters.AddWithValue("service_amount", bill.ServiceChargeAmount);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Sets an open (PENDING or PARTIALLY_PAID) bill's subtotal to its table order's new total as of <paramref name="asOf"/>
    /// and recomputes tax and total with the bill's own rate and discount; an older total than the one applied, or a paid or void bill,
    /// is left alone. <paramref name="covers"/> is the party's new size when it changed (a merge). The bill, or null when nothing changed.
    /// </summary>
    public async Task<Bill?> SetSubtotalAsync(UnitOfWork tx, Guid orderId, decimal subtotal, DateTimeOffset asOf, CancellationToken ct, int? covers = null)
    {
        await using var select = tx.Command($"SELECT {Columns}, total_as_of FROM billing.bills WHERE order_id = @order_id FOR UPDATE");
        select.Parameters.AddWithValue("order_id", orderId);
        Bill? bill;
        DateTimeOffset? appliedAsOf;
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return null;
            bill = Read(reader);
            appliedAsOf = reader.IsDBNull(28) ? null : reader.GetFieldValue<DateTimeOffset>(28);
        }
        if (!bill.IsOpen || appliedAsOf >= asOf) return null;

        if (covers is not null) bill = bill with { Covers = covers };
        return await RecomputeAsync(tx, bill, subtotal, asOf, ct, totalAsOf: asOf);
    }

    /// <summary>
    /// Stores <paramref name="bill"/>'s terms (covers, discount) and the amounts they give on <paramref name="subtotal"/>;
    /// <paramref name="totalAsOf"/> when the subtotal is a table order's total of that time.
    /// </summary>
    public async Task<Bill> RecomputeAsync(
        UnitOfWork tx, Bill bill, decimal subtotal, DateTimeOffset at, CancellationToken ct, DateTimeOffset? totalAsOf = null)
    {
        var amounts = BillCalculator.Compute(subtotal, bill.Terms);
        await using var update = tx.Command(
            $"""
            UPDATE billing.bills SET subtotal = @subtotal, tax_amount = @tax, discount_amount = @discount, total_amount = @total,
                   service_charge_amount = @service, covers = @covers, discount_code = @code, discount_kind = @kind,
                   discount_value = @value, discount_reason = @reason,
                   total_as_of = COALESCE(@as_of, total_as_of), updated_at = @at
            WHERE id = @id
            RETURNING {Columns}
            """);
        update.Parameters.AddWithValue("id", bill.Id);
        update.Parameters.AddWithValue("subtotal", amounts.Subtotal);
        update.Parameters.AddWithValue("tax", amounts.TaxAmount);
        update.Parameters.AddWithValue("discount", amounts.DiscountAmount);
        update.Parameters.AddWithValue("total", amounts.TotalAmount);
        update.Parameters.AddWithValue("service", amounts.ServiceCharge);
        update.Parameters.Add(new NpgsqlParameter<int?>("covers", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = bill.Covers });
        update.Parameters.Add(new NpgsqlParameter<string?>("code", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = bill.DiscountCode });
        update.Parameters.Add(new NpgsqlParameter<string?>("kind", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = bill.DiscountKind });
        update.Parameters.Add(new NpgsqlParameter<decimal?>("value", NpgsqlTypes.NpgsqlDbType.Numeric) { TypedValue = bill.DiscountValue });
        update.Parameters.Add(new NpgsqlParameter<string?>("reason", NpgsqlTypes.NpgsqlDbType.Varchar) { TypedValue = bill.DiscountReason });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("as_of", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = totalAsOf });
        update.Parameters.AddWithValue("at", at);
        return (await ReadSingleAsync(update, ct))!;
    }

    /// <summary>Records how the bill is split (<c>even</c>, <c>items</c>).</summary>
    public async Task SetSplitKindAsync(UnitOfWork tx, Guid id, string kind, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE billing.bills SET split_kind = @kind, updated_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Bill?> FindByOrderAsync(Guid orderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.bills WHERE order_id = @order_id");
        command.Parameters.AddWithValue("order_id", orderId);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<Bill?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing.bills WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>A customer's bills, newest first; only those of <paramref name="restaurantIds"/> when given (an owner's view).</summary>
    public async Task<IReadOnlyList<Bill>> ListByUserAsync(Guid userId, IReadOnlyList<Guid>? restaurantIds, int page, int pageSize, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM billing.bills
            WHERE user_id = @user_id AND (@all OR restaurant_id = ANY(@restaurant_ids))
            ORDER BY generated_at DESC, id LIMIT @limit OFFSET @offset
            """);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("all", restaurantIds is null);
        command.Parameters.AddWithValue("restaurant_ids", (restaurantIds ?? []).ToArray());
        AddPage(command, page, pageSize);
        return await ReadManyAsync(command, ct);
    }

    /// <summary>A restaurant's bills, newest first.</summary>
    public async Task<IReadOnlyList<Bill>> ListByRestaurantAsync(Guid restaurantId, int page, int pageSize, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM billing.bills WHERE restaurant_id = @restaurant_id ORDER BY generated_at DESC, id LIMIT @limit OFFSET @offset");
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        AddPage(command, page, pageSize);
        return await ReadManyAsync(command, ct);
    }

    private static void AddPage(NpgsqlCommand command, int page, int pageSize)
    {
        command.Parameters.AddWithValue("limit", pageSize);
        command.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
    }

    private static async Task<IReadOnlyList<Bill>> ReadManyAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var bills = new List<Bill>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) bills.Add(Read(reader));
        return bills;
    }

    /// <summary>The bill, locked until the transaction ends.</summary>
    public async Task<Bill?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM billing.bills WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>
    /// Adds a captured payment to the bill: what it paid and its tip; the bill becomes PAID (with <paramref name="paidWith"/>
    /// and the time) once the total is covered, else PARTIALLY_PAID. A void bill only counts the money (its refund is due).
    /// </summary>
    public async Task<Bill> AddCapturedAsync(
        UnitOfWork tx, Guid id, decimal amount, decimal tip, string paidWith, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            UPDATE billing.bills SET amount_paid = amount_paid + @amount, tip_amount = tip_amount + @tip, updated_at = @at,
                   status = CASE WHEN status = 'VOID' THEN status
                                 WHEN amount_paid + @amount >= total_amount THEN 'PAID' ELSE 'PARTIALLY_PAID' END,
                   payment_method = CASE WHEN status <> 'VOID' AND amount_paid + @amount >= total_amount THEN @paid_with ELSE payment_method END,
                   paid_at = CASE WHEN status <> 'VOID' AND amount_paid + @amount >= total_amount THEN @at ELSE paid_at END,
                   refund_due = refund_due OR status = 'VOID'
            WHERE id = @id
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("amount", amount);
        command.Parameters.AddWithValue("tip", tip);
        command.Parameters.AddWithValue("paid_with", paidWith);
        command.Parameters.AddWithValue("at", at);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>Counts money given back by a refund on the bill, which takes <paramref name="status"/> (refunded in part or whole).</summary>
    public async Task<Bill> AddRefundedAsync(UnitOfWork tx, Guid id, decimal amount, string status, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"UPDATE billing.bills SET amount_refunded = amount_refunded + @amount, status = @status, updated_at = @at WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("amount", amount);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("at", at);
        return (await ReadSingleAsync(command, ct))!;
    }

    public async Task<Bill> SetPaymentMethodAsync(
        UnitOfWork tx, Guid id, string paymentMethod, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"UPDATE billing.bills SET payment_method = @payment_method, updated_at = @now WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("payment_method", paymentMethod);
        command.Parameters.AddWithValue("now", now);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>Voids the order's bill if it is still unpaid; false when there was nothing to void.</summary>
    public async Task<bool> VoidUnpaidAsync(UnitOfWork tx, Guid orderId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE billing.bills SET status = 'VOID', voided_at = @at, updated_at = @at
            WHERE order_id = @order_id AND status = 'PENDING'
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Flags the order's PAID bill as owed back to the customer; false when there is none, or it was already flagged.</summary>
    public async Task<bool> MarkRefundDueAsync(UnitOfWork tx, Guid orderId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            UPDATE billing.bills SET refund_due = TRUE, updated_at = @at
            WHERE order_id = @order_id AND status IN ('PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED') AND NOT refund_due
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    private static async Task<Bill?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return Read(reader);
    }

    private static Bill Read(NpgsqlDataReader reader)
    {
        return new Bill(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetGuid(2),
            reader.GetGuid(3),
            reader.GetDecimal(4),
            reader.GetDecimal(5),
            reader.GetDecimal(6),
            reader.GetDecimal(7),
            reader.GetDecimal(8),
            reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.GetFieldValue<DateTimeOffset>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            reader.GetBoolean(14))
        {
            OrderNumber = reader.IsDBNull(15) ? null : reader.GetString(15),
            AmountPaid = reader.GetDecimal(16),
            TipAmount = reader.GetDecimal(17),
            Covers = reader.IsDBNull(18) ? null : reader.GetInt32(18),
            ServiceChargeRate = reader.GetDecimal(19),
            ServiceChargeMinCovers = reader.IsDBNull(20) ? null : reader.GetInt32(20),
            ServiceChargeAmount = reader.GetDecimal(21),
            DiscountCode = reader.IsDBNull(22) ? null : reader.GetString(22),
            DiscountKind = reader.IsDBNull(23) ? null : reader.GetString(23),
            DiscountValue = reader.IsDBNull(24) ? null : reader.GetDecimal(24),
            DiscountReason = reader.IsDBNull(25) ? null : reader.GetString(25),
            SplitKind = reader.IsDBNull(26) ? null : reader.GetString(26),
            AmountRefunded = reader.GetDecimal(27),
        };
    }
}
