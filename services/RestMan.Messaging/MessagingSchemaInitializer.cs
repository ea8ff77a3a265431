using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RestMan.Data;

namespace RestMan.Messaging;

/// <summary>The messaging tables one schema needs (outbox, inbox or both).</summary>
internal sealed record MessagingTables(string Schema, IReadOnlyList<Migration> Migrations);

/// <summary>
/// Creates the outbox and inbox tables during host start-up. Registered before the relay and the consumer, and
/// hosted services start in order, so neither runs before its table exists.
/// </summary>
internal sealed class MessagingSchemaInitializer(
    NpgsqlDataSource dataSource,
    IEnumerable<MessagingTables> tables,
    TimeProvider timeProvider,
    ILogger<MessagingSchemaInitializer> logger) : IHostedService
{
    // The database may still be starting when the service does; beyond this, fail start-up loudly.
    private static readonly TimeSpan DatabaseWaitLimit = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var group in tables.GroupBy(t => t.Schema))
        {
            var migrations = group.SelectMany(t => t.Migrations).DistinctBy(m => m.Version).ToList();
            await MigrateAsync(group.Key, migrations, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(string schema, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                await SchemaMigrator.MigrateAsync(dataSource, schema, migrations, logger, ct);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && timeProvider.GetElapsedTime(started) < DatabaseWaitLimit)
            {
                logger.LogWarning("Database not reachable yet for the messaging tables of {Schema}: {Error}; retrying", schema, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, ct);
            }
        }
    }
}
