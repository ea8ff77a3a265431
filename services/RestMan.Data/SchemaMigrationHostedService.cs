using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RestMan.Data;

/// <summary>Migrates the schema during host start-up, so the service never serves before its tables exist.</summary>
internal sealed class SchemaMigrationHostedService(
    NpgsqlDataSource dataSource,
    string schema,
    IReadOnlyList<Migration> migrations,
    ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    // The database may still be starting when the service does; beyond this, fail start-up loudly.
    private static readonly TimeSpan DatabaseWaitLimit = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var applied = await SchemaMigrator.MigrateAsync(dataSource, schema, migrations, logger, cancellationToken);
                logger.LogInformation("Schema {Schema} is up to date ({Applied} of {Total} migrations applied now)",
                    schema, applied.Count, migrations.Count);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && waiting.Elapsed < DatabaseWaitLimit && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Database not reachable yet for schema {Schema} migrations: {Error}; retrying", schema, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
