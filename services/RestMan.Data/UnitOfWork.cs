using Npgsql;

namespace RestMan.Data;

/// <summary>
/// One attempt of a SERIALIZABLE transaction: its connection, its transaction and the clock, the statements queued to
/// ride along with the next batch (an outbox row joins the state change's round trip) and what to do once it commits.
/// Repositories take it instead of a connection and a transaction; <see cref="Database.InTransactionAsync{T}(Func{UnitOfWork, Task{T}}, CancellationToken)"/>
/// makes one per attempt, so nothing of a failed attempt survives into the next.
/// </summary>
public sealed class UnitOfWork
{
    private readonly List<NpgsqlBatchCommand> _queued = [];
    private readonly List<Action> _afterCommit = [];

    internal UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, TimeProvider clock, IUnitOfWorkOutbox? outbox)
    {
        Connection = connection;
        Transaction = transaction;
        Clock = clock;
        Outbox = outbox;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public TimeProvider Clock { get; }

    /// <summary>The service's outbox (RestMan.Messaging's <c>AddOutbox</c>), which <c>tx.Publish</c> writes to.</summary>
    internal IUnitOfWorkOutbox? Outbox { get; }

    /// <summary>A command in this transaction.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    /// <summary>A batch in this transaction that starts with the statements queued so far, so they cost no round trip of their own.</summary>
    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(Connection, Transaction);
        foreach (var command in _queued) batch.BatchCommands.Add(command);
        _queued.Clear();
        return batch;
    }

    /// <summary>Sends <paramref name="command"/> with the next <see cref="Batch"/>, or before the commit if no batch follows.</summary>
    public void Enqueue(NpgsqlBatchCommand command) => _queued.Add(command);

    /// <summary>Runs <paramref name="action"/> once this transaction has committed (never for an attempt that did not).</summary>
    public void AfterCommit(Action action)
    {
        if (!_afterCommit.Contains(action)) _afterCommit.Add(action);
    }

    /// <summary>Sends what is still queued: the last step before the commit.</summary>
    internal async Task FlushAsync(CancellationToken ct)
    {
        if (_queued.Count == 0) return;
        await using var batch = Batch();
        await batch.ExecuteNonQueryAsync(ct);
    }

    internal void Committed()
    {
        foreach (var action in _afterCommit) action();
    }
}

/// <summary>Where <see cref="UnitOfWork"/> events go: implemented by RestMan.Messaging's outbox.</summary>
internal interface IUnitOfWorkOutbox
{
    /// <summary>The outbox insert of <paramref name="integrationEvent"/>, to run in the caller's transaction.</summary>
    NpgsqlBatchCommand Append(object integrationEvent);

    /// <summary>Wakes the relay after a commit that wrote to the outbox.</summary>
    void Notify();
}
