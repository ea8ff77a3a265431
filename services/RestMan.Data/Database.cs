using Npgsql;

namespace RestMan.Data;

/// <summary>
/// The service's database: runs work as a <see cref="UnitOfWork"/> in a SERIALIZABLE transaction, retried as
/// <see cref="TransactionRetryExtensions"/> says (40001, 40P01, a restart before the commit), and runs the work's
/// after-commit actions (waking the outbox relay) once it committed. Registered by <c>AddCockroachDataSource</c>.
/// </summary>
public sealed class Database
{
    private readonly IUnitOfWorkOutbox? _outbox;

    /// <summary>A database without an outbox (a test's, a tool's): <c>tx.Publish</c> then throws.</summary>
    public Database(NpgsqlDataSource dataSource, TimeProvider clock)
        : this(dataSource, clock, null)
    {
    }

    internal Database(NpgsqlDataSource dataSource, TimeProvider clock, IUnitOfWorkOutbox? outbox)
    {
        DataSource = dataSource;
        Clock = clock;
        _outbox = outbox;
    }

    /// <summary>For reads outside a transaction.</summary>
    public NpgsqlDataSource DataSource { get; }

    public TimeProvider Clock { get; }

    public Task<T> InTransactionAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct) =>
        InTransactionAsync(TransactionRetryPolicy.Default, work, ct);

    public Task InTransactionAsync(Func<UnitOfWork, Task> work, CancellationToken ct) =>
        InTransactionAsync(TransactionRetryPolicy.Default, async tx =>
        {
            await work(tx);
            return true;
        }, ct);

    public async Task<T> InTransactionAsync<T>(TransactionRetryPolicy policy, Func<UnitOfWork, Task<T>> work, CancellationToken ct)
    {
        UnitOfWork? committing = null;
        var result = await DataSource.InTransactionAsync(policy, async (connection, transaction, token) =>
        {
            var tx = new UnitOfWork(connection, transaction, Clock, _outbox);
            var outcome = await work(tx);
            await tx.FlushAsync(token);
            committing = tx;
            return outcome;
        }, ct);
        committing!.Committed();
        return result;
    }
}
