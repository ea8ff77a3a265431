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

    /// <summary>Takes up to <paramref name="limit"/> due ready emails for this instance (see <see cref="OwedEmailRows.ClaimDueAsync"/>).</summary>
    public Task<IReadOnlyList<DueReadyEmail>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        OwedEmailRows.ClaimDueAsync(dataSource, Table, "orders.orders", "s.order_type, s.total_price", now, leaseUntil, limit,
            reader => new DueReadyEmail(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetDecimal(5)), ct);

    public Task MarkSentAsync(Guid orderId, DateTimeOffset at, CancellationToken ct) =>
        OwedEmailRows.MarkSentAsync(dataSource, Table, orderId, at, ct);

    /// <summary>Tries again at <paramref name="retryAt"/>, or never (abandoned) when it is null.</summary>
    public Task MarkFailedAsync(Guid orderId, string error, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken ct) =>
        OwedEmailRows.MarkFailedAsync(dataSource, Table, orderId, error, now, retryAt, ct);

    private static readonly OwedEmailTable Table = new("orders.ready_emails", "order_id");
}
