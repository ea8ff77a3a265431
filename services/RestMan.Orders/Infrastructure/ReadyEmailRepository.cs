using Npgsql;
using RestMan.Data;
using RestMan.Orders.Notifications;

namespace RestMan.Orders.Infrastructure;

/// <summary>A "your order is ready" email to send now, with what it says; <see cref="Email"/> is null while unknown.</summary>
public sealed record DueReadyEmail(Guid OrderId, Guid UserId, int Attempts, string? Email, string OrderType, decimal TotalPrice) : IOwedEmail
{
    Guid IOwedEmail.Key => OrderId;
}

/// <summary>The SQL over <c>orders.customer_contacts</c> and <c>orders.ready_emails</c>.</summary>
public sealed class ReadyEmailRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Remembers a customer's address; the newest sign-in wins.</summary>
    public async Task SaveContactAsync(UnitOfWork tx, Guid userId, string email, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO orders.customer_contacts AS c (user_id, email, updated_at) VALUES (@user_id, @email, @at)
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at
                WHERE c.updated_at <= excluded.updated_at
            """);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Owes the customer the email, in the transaction that made the order READY; once per order.</summary>
    public async Task EnqueueAsync(UnitOfWork tx, Guid orderId, Guid userId, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = tx.Command(
            """
            INSERT INTO orders.ready_emails (order_id, user_id, next_attempt_at, created_at) VALUES (@order_id, @user_id, @at, @at)
            ON CONFLICT (order_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("order_id", orderId);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> due emails for this instance until <paramref name="leaseUntil"/>: another
    /// instance only sees them again if this one neither sent nor rescheduled them by then.
    /// </summary>
    public async Task<IReadOnlyList<DueReadyEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH claimed AS (
                UPDATE orders.ready_emails SET attempts = attempts + 1, next_attempt_at = @lease_until
                WHERE order_id IN (
                    SELECT order_id FROM orders.ready_emails
                    WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                    ORDER BY next_attempt_at LIMIT @limit)
                  AND sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                RETURNING order_id, user_id, attempts)
            SELECT c.order_id, c.user_id, c.attempts, cc.email, o.order_type, o.total_price
            FROM claimed c
            JOIN orders.orders o ON o.id = c.order_id
            LEFT JOIN orders.customer_contacts cc ON cc.user_id = c.user_id
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("lease_until", leaseUntil);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<DueReadyEmail>();
        while (await reader.ReadAsync(ct))
            due.Add(new DueReadyEmail(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetDecimal(5)));
        return due;
    }

    public Task MarkSentAsync(Guid orderId, DateTimeOffset at, CancellationToken ct) =>
        OwedEmailRows.MarkSentAsync(dataSource, Table, orderId, at, ct);

    /// <summary>Tries again at <paramref name="retryAt"/>, or never (abandoned) when it is null.</summary>
    public Task MarkFailedAsync(Guid orderId, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct) =>
        OwedEmailRows.MarkFailedAsync(dataSource, Table, orderId, error, now, retryAt, ct);

    private static readonly OwedEmailTable Table = new("orders.ready_emails", "order_id");
}
