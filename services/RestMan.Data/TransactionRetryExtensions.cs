using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace RestMan.Data;

/// <summary>
/// Runs work in a SERIALIZABLE transaction and runs it again, from the start, when the database reports a
/// serialization failure (40001) or deadlock (40P01), or went away before the commit was asked for (a restart: the
/// transaction surely did not commit, so running it again is safe), and, when the policy allows, after losing a race
/// on a unique key. The work must therefore be safe to repeat: keep side effects outside the database (HTTP calls,
/// Kafka) out of it.
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
        return RetryAsync(policy, async (attempt, token) =>
        {
            // A fresh connection per attempt: a failed attempt may have left its connection unusable.
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await RunOnceAsync(connection, work, attempt, token);
        }, ct);
    }

    /// <summary>Same as the data source overload, on a connection the caller opened and keeps owning.</summary>
    public static Task<T> InTransactionAsync<T>(
        this NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The caller's connection cannot be reopened here: only conflicts are retried on it.
        return RetryAsync(TransactionRetryPolicy.Default with { OutagePatience = TimeSpan.Zero },
            (attempt, token) => RunOnceAsync(connection, work, attempt, token), ct);
    }

    public static Task InTransactionAsync(
        this NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken ct) =>
        connection.InTransactionAsync(WithoutResult(work), ct);

    private static async Task<T> RunOnceAsync<T>(
        NpgsqlConnection connection,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        Attempt attempt,
        CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var result = await work(connection, transaction, ct);
        attempt.Committing = true;
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>The retry rules around one attempt of the work; internal so the rules are tested without a database.</summary>
    internal static async Task<T> RetryAsync<T>(TransactionRetryPolicy policy, Func<Attempt, CancellationToken, Task<T>> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.MaxAttempts, 1);

        var conflicts = 0;
        var races = 0;
        var outageStarted = (long?)null;
        while (true)
        {
            var attempt = new Attempt();
            try
            {
                return await run(attempt, ct);
            }
            catch (Exception ex) when (conflicts + 1 < policy.MaxAttempts
                                       && Outages.IsConflict(ex)
                                       && !ct.IsCancellationRequested)
            {
                conflicts++;
                DataTelemetry.RecordTransactionRetry(conflicts, ex);
                await Task.Delay(policy.DelayBeforeRetry(conflicts), ct);
            }
            // No pause: the winner has committed, so the next look finds its row.
            catch (Exception ex) when (PostgresErrors.IsUniqueViolation(ex)
                                       && ++races < policy.UniqueViolationAttempts
                                       && !ct.IsCancellationRequested)
            {
            }
            // A connection lost during COMMIT leaves the outcome unknown: the caller's to report, unless its work is idempotent.
            catch (Exception ex) when ((!attempt.Committing || policy.RetryUncertainCommit)
                                       && Outages.IsUnreachable(ex)
                                       && Stopwatch.GetElapsedTime(outageStarted ??= Stopwatch.GetTimestamp()) < policy.OutagePatience
                                       && !ct.IsCancellationRequested)
            {
                DataTelemetry.RecordOutageRetry(ex);
                await Task.Delay(policy.OutageRetryDelay, ct);
            }
        }
    }

    /// <summary>What one attempt got to: once the commit was asked for, the transaction may have committed.</summary>
    internal sealed class Attempt
    {
        public bool Committing { get; set; }
    }

    private static Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<bool>> WithoutResult(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work) =>
        async (connection, transaction, ct) =>
        {
            await work(connection, transaction, ct);
            return true;
        };
}
