using System.Diagnostics;
using System.Data.Common;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RestMan.Data;

public static class CockroachBuilderExtensions
{
    /// <summary>
    /// Registers Aspire's PostgreSQL client for <c>ConnectionStrings:{connectionName}</c> (CockroachDB speaks its wire
    /// protocol): a singleton <see cref="NpgsqlDataSource"/>, its "PostgreSql" health check, tracing and metrics, and the
    /// <see cref="Database"/> that runs units of work on it.
    /// </summary>
    public static IHostApplicationBuilder AddCockroachDataSource(this IHostApplicationBuilder builder, string connectionName = "cockroach")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        // Trace commands that belong to some operation (a request, a consumed event); background polls of outbox relays
        // and schedulers would otherwise be a new root trace every few hundred milliseconds and bury the real ones.
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            dataSource.ConfigureTracing(tracing =>
                tracing.ConfigureCommandFilter(_ => Activity.Current is not null).ConfigureBatchFilter(_ => Activity.Current is not null));
            // Every service runs the same few statements over and over: prepared once per connection, the database
            // skips parsing and planning them; pooled connections keep them (no DISCARD ALL: we set no session state).
            // A connection string that says otherwise wins.
            var settings = dataSource.ConnectionStringBuilder;
            if (settings.MaxAutoPrepare == 0) settings.MaxAutoPrepare = 64;
            if (!settings.ContainsKey("No Reset On Close")) settings.NoResetOnClose = true;
        });
        builder.Services.TryAddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new Database(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IUnitOfWorkOutbox>()));
        return builder;
    }

    /// <summary>
    /// Applies the <c>Migrations/*.sql</c> files embedded in <paramref name="assembly"/> to <paramref name="schema"/>
    /// when the host starts, before the web server accepts requests.
    /// </summary>
    public static IHostApplicationBuilder AddMigrations(this IHostApplicationBuilder builder, string schema, Assembly assembly)
    {
        SchemaMigrator.ValidateSchemaName(schema);
        var migrations = EmbeddedMigrations.Load(assembly);
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException(
                $"No embedded migrations found in {assembly.GetName().Name}; " +
                "add <EmbeddedResource Include=\"Migrations/*.sql\" /> to its project file.");
        }

        // Not AddHostedService: its TryAddEnumerable would drop a second schema's migrator.
        builder.Services.AddSingleton<IHostedService>(sp => new SchemaMigrationHostedService(
            sp.GetRequiredService<NpgsqlDataSource>(),
            schema,
            migrations,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<SchemaMigrationHostedService>>()));
        return builder;
    }
}
