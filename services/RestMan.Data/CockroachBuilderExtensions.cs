using System.Data.Common;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RestMan.Data;

public static class CockroachBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c>
    /// and a "cockroach" readiness health check.
    /// </summary>
    public static IHostApplicationBuilder AddCockroachDataSource(this IHostApplicationBuilder builder, string connectionName = "cockroach")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        // Resolved lazily so configuration added by test hosts after Program.cs runs is still seen.
        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Connection string 'ConnectionStrings:{connectionName}' is not configured " +
                    $"(environment variable ConnectionStrings__{connectionName}).");
            }

            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            dataSourceBuilder.UseLoggerFactory(sp.GetService<ILoggerFactory>());
            return dataSourceBuilder.Build();
        });
        builder.Services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());

        builder.Services.AddHealthChecks().AddCheck<CockroachHealthCheck>("cockroach", tags: ["ready"]);
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
