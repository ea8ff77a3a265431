using RestMan.ClickHouse;

namespace RestMan.Analytics.Schema;

/// <summary>
/// Creates the database and tables before the consumer starts and before the endpoints listen (hosted services start
/// first); every statement is idempotent, so each start-up may run them all.
/// </summary>
public sealed class AnalyticsSchemaInitializer(
    ClickHouseClient clickHouse, TimeProvider timeProvider, ILogger<AnalyticsSchemaInitializer> logger) : IHostedService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await clickHouse.EnsureDatabaseAsync(cancellationToken);
                foreach (var statement in AnalyticsSchema.CreateStatements)
                {
                    await clickHouse.ExecuteAsync(statement, cancellationToken);
                }

                foreach (var added in AnalyticsSchema.AddedColumns)
                {
                    var present = await clickHouse.QueryAsync<ColumnCount>(
                        $"SELECT count() AS count FROM system.columns WHERE database = currentDatabase() " +
                        $"AND table = {ClickHouseSql.Literal(added.Table)} AND name = {ClickHouseSql.Literal(added.Column)}", cancellationToken);
                    if (present.Count == 0 || present[0].Count == 0)
                    {
                        await clickHouse.ExecuteAsync($"ALTER TABLE {added.Table} ADD COLUMN {added.Column} {added.Type}", cancellationToken);
                    }
                }

                logger.LogInformation("Analytics schema is in place in {ClickHouse}", clickHouse.Settings);
                return;
            }
            catch (ClickHouseException ex) when (ex.StatusCode is null && !cancellationToken.IsCancellationRequested)
            {
                // Unreachable rather than refused: ClickHouse may still be starting.
                var delay = TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt - 1), MaxRetryDelay.TotalMilliseconds));
                logger.LogWarning("ClickHouse is not reachable yet ({Error}); retrying the schema in {Delay}", ex.Message, delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record ColumnCount(long Count);
}
