using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RestMan.Data;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class MigrationsTests(InfrastructureFixture infra)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Running_migrations_twice_applies_each_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        var schema = UniqueSchema();

        var first = await SchemaMigrator.MigrateAsync(dataSource, schema, WidgetMigrations(schema), NullLogger.Instance, Ct);
        var second = await SchemaMigrator.MigrateAsync(dataSource, schema, WidgetMigrations(schema), NullLogger.Instance, Ct);

        first.ShouldBe(["0001_widgets", "0002_seed_and_tags"]);
        second.ShouldBeEmpty();
        await ShouldHaveOneCorrectWidgetSchemaAsync(dataSource, schema);
    }

    [Fact]
    public async Task Migrators_starting_at_once_leave_one_correct_schema()
    {
        var connectionString = await infra.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new RecordingLogger();

        // Several rounds, each with a fresh schema and one connection pool per "instance". The first migration
        // is slow, so the other instances really try to claim it while the winner's transaction is still open.
        for (var round = 0; round < 3; round++)
        {
            var schema = UniqueSchema();
            var migrations = WidgetMigrations(schema, slowFirst: true);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var instances = Enumerable.Range(0, 4).Select(async _ =>
            {
                await using var instanceDataSource = NpgsqlDataSource.Create(connectionString);
                await start.Task;
                return await SchemaMigrator.MigrateAsync(instanceDataSource, schema, migrations, log, Ct);
            }).ToList();

            start.SetResult();
            var applied = await Task.WhenAll(instances);

            applied.SelectMany(versions => versions).Order(StringComparer.Ordinal)
                .ShouldBe(["0001_widgets", "0002_seed_and_tags"], ignoreOrder: false, customMessage: $"round {round}: each migration applied by exactly one instance");
            await ShouldHaveOneCorrectWidgetSchemaAsync(dataSource, schema);
        }

        log.Messages.Count(message => message.Contains("applied by another instance")).ShouldBeGreaterThan(0,
            "some instance must have lost the race for a version row and moved on");
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace_and_earlier_ones_stay_applied()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        var schema = UniqueSchema();
        Migration[] migrations =
        [
            new("0001_ok", $"CREATE TABLE {schema}.kept (id UUID PRIMARY KEY DEFAULT gen_random_uuid())"),
            new("0002_broken", $"CREATE TABLE {schema}.half_done (id UUID PRIMARY KEY); SELECT * FROM {schema}.no_such_table"),
        ];

        var failure = await Should.ThrowAsync<PostgresException>(
            () => SchemaMigrator.MigrateAsync(dataSource, schema, migrations, NullLogger.Instance, Ct));

        failure.SqlState.ShouldBe(PostgresErrorCodes.UndefinedTable);
        (await AppliedVersionsAsync(dataSource, schema)).ShouldBe(["0001_ok"]);
        (await TablesAsync(dataSource, schema)).ShouldBe(["kept", "schema_migrations"]);
    }

    [Fact]
    public async Task Embedded_migrations_are_read_from_the_assembly_and_applied_in_name_order()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        var schema = UniqueSchema();
        var assembly = InMemoryAssembly.WithResources(new Dictionary<string, string>
        {
            // Declared out of order: 0002 needs the table 0001 creates.
            ["Fake.Service.Migrations.0002_add_price.sql"] = $"ALTER TABLE {schema}.foods ADD COLUMN price DECIMAL(12,2) NOT NULL DEFAULT 0",
            ["Fake.Service.Migrations.0001_foods.sql"] = $"CREATE TABLE {schema}.foods (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name TEXT NOT NULL)",
            ["Fake.Service.Resources.readme.txt"] = "not a migration",
        });

        var applied = await SchemaMigrator.MigrateAsync(dataSource, schema, assembly, Ct);

        applied.ShouldBe(["0001_foods", "0002_add_price"]);
        (await ColumnsAsync(dataSource, schema, "foods")).ShouldBe(["id", "name", "price"]);
    }

    [Fact]
    public async Task AddMigrations_migrates_during_host_start_and_the_cockroach_check_is_healthy()
    {
        var connectionString = await infra.CreateDatabaseAsync();
        var schema = UniqueSchema();
        var assembly = InMemoryAssembly.WithResources(new Dictionary<string, string>
        {
            ["Fake.Service.Migrations.0001_menu.sql"] = $"CREATE TABLE {schema}.menu (id UUID PRIMARY KEY DEFAULT gen_random_uuid())",
        });
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:cockroach"] = connectionString });
        builder.AddCockroachDataSource();
        builder.AddMigrations(schema, assembly);
        using var host = builder.Build();

        await host.StartAsync(Ct);
        try
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            (await TablesAsync(dataSource, schema)).ShouldBe(["menu", "schema_migrations"]);
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
            report.Entries["PostgreSql"].Status.ShouldBe(HealthStatus.Healthy);
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task The_postgres_check_is_unhealthy_when_the_database_is_unreachable()
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cockroach"] = "Host=127.0.0.1;Port=1;Username=postgres;Timeout=2",
        });
        builder.AddCockroachDataSource();
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        report.Entries["PostgreSql"].Status.ShouldBe(HealthStatus.Unhealthy);
    }

    private static string UniqueSchema() => "m_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Neither migration survives a second run: CREATE TABLE without IF NOT EXISTS, a seed row, ADD COLUMN.</summary>
    private static Migration[] WidgetMigrations(string schema, bool slowFirst = false) =>
    [
        new("0001_widgets", $"""
            {(slowFirst ? "SELECT pg_sleep(0.5);" : "")}
            CREATE TABLE {schema}.widgets (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                name TEXT NOT NULL,
                price DECIMAL(12,2) NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE {schema}.seed_log (note TEXT NOT NULL);
            """),
        new("0002_seed_and_tags", $"""
            INSERT INTO {schema}.seed_log (note) VALUES ('seeded');
            ALTER TABLE {schema}.widgets ADD COLUMN tags JSONB;
            """),
    ];

    private static async Task ShouldHaveOneCorrectWidgetSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        (await TablesAsync(dataSource, schema)).ShouldBe(["schema_migrations", "seed_log", "widgets"]);
        (await ColumnsAsync(dataSource, schema, "widgets")).ShouldBe(["created_at", "id", "name", "price", "tags"]);
        (await AppliedVersionsAsync(dataSource, schema)).ShouldBe(["0001_widgets", "0002_seed_and_tags"]);
        await using var connection = await dataSource.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {schema}.seed_log")).ShouldBe(1);
    }

    private static async Task<List<string>> AppliedVersionsAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Version, DateTime AppliedAt)>(
            $"SELECT version, applied_at FROM {schema}.schema_migrations ORDER BY version");
        return rows.Select(row => row.Version).ToList();
    }

    private static async Task<List<string>> TablesAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name", new { schema });
        return tables.ToList();
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlDataSource dataSource, string schema, string table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var columns = await connection.QueryAsync<string>(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table ORDER BY column_name",
            new { schema, table });
        return columns.ToList();
    }

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }

    /// <summary>Builds a real assembly with embedded resources in memory, as a service's csproj would.</summary>
    private static class InMemoryAssembly
    {
        public static Assembly WithResources(IReadOnlyDictionary<string, string> resources)
        {
            var name = "MigrationsFixture_" + Guid.NewGuid().ToString("N");
            var builder = new PersistedAssemblyBuilder(new AssemblyName(name), typeof(object).Assembly);
            builder.DefineDynamicModule(name);
            var metadata = builder.GenerateMetadata(out var ilStream, out var fieldData);

            var resourceBlob = new BlobBuilder();
            foreach (var (resourceName, text) in resources)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                metadata.AddManifestResource(
                    ManifestResourceAttributes.Public, metadata.GetOrAddString(resourceName), default, (uint)resourceBlob.Count);
                resourceBlob.WriteInt32(bytes.Length);
                resourceBlob.WriteBytes(bytes);
                resourceBlob.Align(8);
            }

            var peBuilder = new ManagedPEBuilder(
                PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(metadata), ilStream, fieldData, managedResources: resourceBlob);
            var image = new BlobBuilder();
            peBuilder.Serialize(image);
            return Assembly.Load(image.ToArray());
        }
    }
}
