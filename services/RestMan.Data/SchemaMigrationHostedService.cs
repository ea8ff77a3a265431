using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RestMan.Data;

/// <summary>Migrates the schema during host start-up, so the service never serves before its tables exist.</summary>
internal sealed class SchemaMigrationHostedService(
    NpgsqlDataSource dataSource,
    string schema,
    IReadOnlyList<Migration> migrations,
    TimeProvider timeProvider,
    ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await SchemaMigrator.MigrateWhenReachableAsync(dataSource, schema, migrations, logger, timeProvider, cancellationToken);
        logger.LogInformation("Schema {Schema} is up to date ({Applied} of {Total} migrations applied now)",
            schema, applied.Count, migrations.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
