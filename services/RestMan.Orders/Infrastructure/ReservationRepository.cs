using Npgsql;
using NpgsqlTypes;
using RestMan.Data;
using RestMan.Orders.Model;
using RestMan.Orders.Notifications;

namespace RestMan.Orders.Infrastructure;

/// <summary>A confirmation email to send now, with what it says; <see cref="Email"/> is null while the address is unknown.</summary>
public sealed record DueReservationEmail(Guid ReservationId, Guid UserId, int Attempts, string? Email, int PartySize, DateTimeOffset StartsAt)
    : IOwedEmail
{
    Guid IOwedEmail.Key => ReservationId;
}

/// <summary>The SQL over <c>orders.reservations</c>, their idempotency keys and their confirmation emails.</summary>
public sealed class ReservationRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, restaurant_id, table_id, user_id, guest_name, party_size, starts_at, status, notes, booked_by, order_id, table_marked_at, created_at, updated_at";

    private static readonly OwedEmailTable Emails = new("orders.reservation_emails", "reservation_id");

    /// <summary>Stores the reservation with the caller's key (if any) and, for a customer, the confirmation email owed.</summary>
    public async Task InsertAsync(UnitOfWork tx, Reservation reservation, IdempotencyKey? key, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO orders.reservations (id, restaurant_id, table_id, user_id, guest_name, party_size, starts_at, status, notes,
                booked_by, created_at, updated_at)
            VALUES (@id, @restaurant_id, @table_id, @user_id, @guest_name, @party_size, @starts_at, @status, @notes, @booked_by, @at, @at)
            """);
        insert.Parameters.AddWithValue("id", reservation.Id);
        insert.Parameters.AddWithValue("restaurant_id", reservation.RestaurantId);
        insert.Parameters.AddWithValue("table_id", reservation.TableId);
        insert.Parameters.Add(new NpgsqlParameter<Guid?>("user_id", NpgsqlDbType.Uuid) { TypedValue = reservation.UserId });
        insert.Parameters.Add(Text("guest_name", reservation.GuestName));
        insert.Parameters.AddWithValue("party_size", reservation.PartySize);
        insert.Parameters.AddWithValue("starts_at", reservation.StartsAt);
        insert.Parameters.AddWithValue("status", reservation.Status);
        insert.Parameters.Add(Text("notes", reservation.Notes));
        insert.Parameters.AddWithValue("booked_by", reservation.BookedBy);
        insert.Parameters.AddWithValue("at", reservation.CreatedAt);
        batch.BatchCommands.Add(insert);
        if (key is not null) batch.BatchCommands.Add(IdempotencyKeyRows.Reservations.Insert(key, reservation.Id, reservation.CreatedAt));
        if (reservation.UserId is { } customer)
        {
            var email = new NpgsqlBatchCommand(
                """
                INSERT INTO orders.reservation_emails (reservation_id, user_id, next_attempt_at, created_at) VALUES (@id, @user_id, @at, @at)
                ON CONFLICT (reservation_id) DO NOTHING
                """);
            email.Parameters.AddWithValue("id", reservation.Id);
            email.Parameters.AddWithValue("user_id", customer);
            email.Parameters.AddWithValue("at", reservation.CreatedAt);
            batch.BatchCommands.Add(email);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    public Task<EarlierPlacement?> FindIdempotencyKeyAsync(Guid userId, string key, CancellationToken ct) =>
        IdempotencyKeyRows.Reservations.FindAsync(dataSource, userId, key, ct);

    public Task<EarlierPlacement?> FindIdempotencyKeyAsync(UnitOfWork tx, Guid userId, string key, CancellationToken ct) =>
        IdempotencyKeyRows.Reservations.FindAsync(tx, userId, key, ct);

    public async Task<Reservation?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM orders.reservations WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    public async Task<Reservation?> LockAsync(UnitOfWork tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"SELECT {Columns} FROM orders.reservations WHERE id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>The restaurant's booked and seated reservations whose slots touch [from, to), for availability.</summary>
    public async Task<IReadOnlyList<HeldSlot>> HeldAsync(Guid restaurantId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(HeldSelect("restaurant_id = @owner"));
        return await ReadHeldAsync(command, restaurantId, from, to, ct);
    }

    /// <summary>The same for one table inside the booking transaction, after the table row is locked.</summary>
    public async Task<IReadOnlyList<HeldSlot>> HeldAsync(UnitOfWork tx, Guid tableId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = tx.Command(HeldSelect("table_id = @owner"));
        return await ReadHeldAsync(command, tableId, from, to, ct);
    }

    private static string HeldSelect(string owner) =>
        $"""
        SELECT table_id, starts_at FROM orders.reservations
        WHERE {owner} AND status IN ('{ReservationStatus.Booked}', '{ReservationStatus.Seated}')
          AND starts_at > @from AND starts_at < @to
        """;

    private static async Task<IReadOnlyList<HeldSlot>> ReadHeldAsync(
        NpgsqlCommand command, Guid owner, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // A slot starting up to one slot length before `from` still holds its table at `from`.
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("from", from - ReservationRules.SlotLength);
        command.Parameters.AddWithValue("to", to + ReservationRules.SlotLength);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var held = new List<HeldSlot>();
        while (await reader.ReadAsync(ct)) held.Add(new HeldSlot(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return held;
    }

    /// <summary>The restaurant's reservations starting in [from, to), earliest first, one page.</summary>
    public async Task<(IReadOnlyList<Reservation> Items, long Total)> ListForRestaurantAsync(
        Guid restaurantId, DateTimeOffset from, DateTimeOffset to, int page, int pageSize, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns}, count(*) OVER () FROM orders.reservations
            WHERE restaurant_id = @restaurant_id AND starts_at >= @from AND starts_at < @to
            ORDER BY starts_at, id LIMIT @limit OFFSET @offset
            """);
        command.Parameters.AddWithValue("restaurant_id", restaurantId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        return await ReadPageAsync(command, page, pageSize, ct);
    }

    /// <summary>A customer's reservations, latest first, one page.</summary>
    public async Task<(IReadOnlyList<Reservation> Items, long Total)> ListForCustomerAsync(Guid userId, int page, int pageSize, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns}, count(*) OVER () FROM orders.reservations
            WHERE user_id = @user_id ORDER BY starts_at DESC, id LIMIT @limit OFFSET @offset
            """);
        command.Parameters.AddWithValue("user_id", userId);
        return await ReadPageAsync(command, page, pageSize, ct);
    }

    /// <summary>Moves the reservation to <paramref name="status"/>, with the order opened when it is seated.</summary>
    public async Task UpdateStatusAsync(UnitOfWork tx, Guid id, string status, Guid? orderId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            "UPDATE orders.reservations SET status = @status, order_id = COALESCE(@order_id, order_id), updated_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(new NpgsqlParameter<Guid?>("order_id", NpgsqlDbType.Uuid) { TypedValue = orderId });
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Booked reservations starting by <paramref name="until"/> and not over yet whose table is not marked yet.</summary>
    public async Task<IReadOnlyList<Reservation>> DueSoonAsync(DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM orders.reservations
            WHERE status = '{ReservationStatus.Booked}' AND table_marked_at IS NULL AND starts_at <= @until AND starts_at > @ended_before
            ORDER BY starts_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("until", until);
        command.Parameters.AddWithValue("ended_before", now - ReservationRules.SlotLength);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>Records that the sweep dealt with the reservation's table, so it does not again.</summary>
    public async Task MarkTableAsync(UnitOfWork tx, Guid id, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command("UPDATE orders.reservations SET table_marked_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Whether another booked reservation of the table is due soon and so keeps it RESERVED.</summary>
    public async Task<bool> OtherDueSoonAsync(UnitOfWork tx, Guid tableId, Guid except, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"""
            SELECT EXISTS (SELECT 1 FROM orders.reservations
            WHERE table_id = @table_id AND id <> @id AND status = '{ReservationStatus.Booked}' AND table_marked_at IS NOT NULL
              AND starts_at > @ended_before)
            """);
        command.Parameters.AddWithValue("table_id", tableId);
        command.Parameters.AddWithValue("id", except);
        command.Parameters.AddWithValue("ended_before", now - ReservationRules.SlotLength);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Takes up to <paramref name="limit"/> due confirmation emails for this instance until <paramref name="leaseUntil"/>.</summary>
    public Task<IReadOnlyList<DueReservationEmail>> ClaimDueEmailsAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        OwedEmailRows.ClaimDueAsync(dataSource, Emails, "orders.reservations", "s.party_size, s.starts_at", now, leaseUntil, limit,
            reader => new DueReservationEmail(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)), ct);

    public Task MarkEmailSentAsync(Guid reservationId, DateTimeOffset at, CancellationToken ct) =>
        OwedEmailRows.MarkSentAsync(dataSource, Emails, reservationId, at, ct);

    public Task MarkEmailFailedAsync(Guid reservationId, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct) =>
        OwedEmailRows.MarkFailedAsync(dataSource, Emails, reservationId, error, now, retryAt, ct);

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static async Task<(IReadOnlyList<Reservation>, long)> ReadPageAsync(NpgsqlCommand command, int page, int pageSize, CancellationToken ct)
    {
        command.Parameters.AddWithValue("limit", pageSize);
        command.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<Reservation>();
        long total = 0;
        while (await reader.ReadAsync(ct))
        {
            items.Add(Read(reader));
            total = reader.GetInt64(14);
        }
        return (items, total);
    }

    private static async Task<List<Reservation>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<Reservation>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) items.Add(Read(reader));
        return items;
    }

    private static Reservation Read(NpgsqlDataReader reader) => new(
        Id: reader.GetGuid(0),
        RestaurantId: reader.GetGuid(1),
        TableId: reader.GetGuid(2),
        UserId: reader.IsDBNull(3) ? null : reader.GetGuid(3),
        GuestName: reader.IsDBNull(4) ? null : reader.GetString(4),
        PartySize: reader.GetInt32(5),
        StartsAt: reader.GetFieldValue<DateTimeOffset>(6),
        Status: reader.GetString(7),
        Notes: reader.IsDBNull(8) ? null : reader.GetString(8),
        BookedBy: reader.GetString(9),
        OrderId: reader.IsDBNull(10) ? null : reader.GetGuid(10),
        TableMarked: !reader.IsDBNull(11),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(12),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(13));
}
