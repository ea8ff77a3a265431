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
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var group in tables.GroupBy(t => t.Schema))
        {
            var migrations = group.SelectMany(t => t.Migrations).DistinctBy(m => m.Version).ToList();
            await SchemaMigrator.MigrateWhenReachableAsync(dataSource, group.Key, migrations, logger, timeProvider, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
