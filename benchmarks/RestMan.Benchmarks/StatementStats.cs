using Npgsql;

namespace RestMan.Benchmarks;

/// <summary>Where PostgreSQL's time goes: pg_stat_statements over one phase, per order.</summary>
public static class StatementStats
{
    /// <summary>Starts counting; false when the database was started without pg_stat_statements (an older AppHost).</summary>
    public static async Task<bool> ResetAsync(RunningGraph graph)
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", connection);
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    /// <summary>The statements that took most execution time since the reset: calls and ms per order, and their text.</summary>
    public static async Task<IReadOnlyList<(double CallsPerOrder, double MsPerOrder, string Statement)>> TopAsync(RunningGraph graph, long orders, int count)
    {
        await using var connection = new NpgsqlConnection(graph.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC
            LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("count", count);
        var top = new List<(double, double, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            top.Add((reader.GetInt64(0) / (double)orders, reader.GetDouble(1) / orders, reader.GetString(2)));
        return top;
    }
}
