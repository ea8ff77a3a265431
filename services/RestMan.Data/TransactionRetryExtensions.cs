using System.Data;
using Npgsql;

namespace RestMan.Data;

/// <summary>
/// Runs work in a SERIALIZABLE transaction and runs it again, from the start, when the database reports a
/// serialization failure (40001) or deadlock (40P01). The work must therefore be safe to repeat: keep
/// side effects outside the database (HTTP calls, Kafka) out of it.
/// </summary>
public static class TransactionRetryExtensions
{
    public static Task<T> InTransactionAsync<T>(
        this NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct) =>
        dataSource.InTransactionAsync(TransactionRetryPolicy.Default, work, ct);

    public static Task InTransactionAsync(
        this NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken ct) =>
        dataSource.InTransactionAsync(TransactionRetryPolicy.Default, WithoutResult(work), ct);

    public static Task InTransactionAsync(
        this NpgsqlDataSource dataSource,
        TransactionRetryPolicy policy,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken ct) =>
        dataSource.InTransactionAsync(policy, WithoutResult(work), ct);

    public static Task<T> InTransactionAsync<T>(
        this NpgsqlDataSource dataSource,
        TransactionRetryPolicy policy,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return RetryAsync(policy, async token =>
        {
            // A fresh connection per attempt: a failed attempt may have left its connection unusable.
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await RunOnceAsync(connection, work, token);
        }, ct);
    }

    /// <summary>Same as the data source overload, on a connection the caller opened and keeps owning.</summary>
    public static Task<T> InTransactionAsync<T>(
        this NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return RetryAsync(TransactionRetryPolicy.Default, token => RunOnceAsync(connection, work, token), ct);
    }

    public static Task InTransactionAsync(
        this NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken ct) =>
        connection.InTransactionAsync(WithoutResult(work), ct);

    private static async Task<T> RunOnceAsync<T>(
        NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var result = await work(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    private static async Task<T> RetryAsync<T>(TransactionRetryPolicy policy, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.MaxAttempts, 1);

        for (var attemptNumber = 1; ; attemptNumber++)
        {
            try
            {
                return await attempt(ct);
            }
            catch (Exception ex) when (attemptNumber < policy.MaxAttempts
                                       && PostgresErrors.IsTransactionConflict(ex)
                                       && !ct.IsCancellationRequested)
            {
                DataTelemetry.RecordTransactionRetry(attemptNumber, ex);
                await Task.Delay(policy.DelayBeforeRetry(attemptNumber), ct);
            }
        }
    }

    private static Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<bool>> WithoutResult(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work) =>
        async (connection, transaction, ct) =>
        {
            await work(connection, transaction, ct);
            return true;
        };
}
