using Npgsql;

namespace RestMan.Scheduler.Infrastructure;

/// <summary>
/// <c>scheduler.job_runs</c>: run slots claimed by exactly one instance. The primary key does the arbitration, so it
/// needs neither advisory locks nor a leader (CockroachDB has no advisory locks).
/// </summary>
public sealed class JobRunRepository(NpgsqlDataSource dataSource)
{
    /// <summary>True when this instance won the slot; false when another instance already has it.</summary>
    public async Task<bool> TryClaimAsync(string job, DateTimeOffset slot, string instance, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO scheduler.job_runs (job, slot, instance, claimed_at)
            VALUES (@job, @slot, @instance, @now)
            ON CONFLICT (job, slot) DO NOTHING
            """);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("slot", slot);
        command.Parameters.AddWithValue("instance", instance);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task CompleteAsync(string job, DateTimeOffset slot, long affected, string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE scheduler.job_runs SET completed_at = @now, affected = @affected, error = @error WHERE job = @job AND slot = @slot");
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("slot", slot);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("affected", affected);
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task PruneAsync(string job, DateTimeOffset before, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM scheduler.job_runs WHERE job = @job AND slot < @before");
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("before", before);
        await command.ExecuteNonQueryAsync(ct);
    }
}
