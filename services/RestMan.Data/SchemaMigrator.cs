using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace RestMan.Data;

/// <summary>
/// Applies versioned SQL migrations to one schema, recording each in <c>{schema}.schema_migrations</c>.
/// Safe when several instances start at once, without advisory locks (CockroachDB has none): each migration
/// runs in one transaction that first claims its version row, so the primary key serializes the migrators
/// and a loser, after the conflict, sees the version applied and moves on. On CockroachDB that holds only with
/// <c>autocommit_before_ddl</c> off (on by default since 25.1, it would commit the claim before the first DDL
/// statement), so the migration connection turns it off; PostgreSQL keeps DDL in the transaction anyway.
/// </summary>
public static partial class SchemaMigrator
{
    // Errors two instances creating the same schema or journal table at once can get from IF NOT EXISTS.
    private static readonly HashSet<string> JournalRaceStates =
        [PostgresErrors.UniqueViolation, "42P06", "42P07", "42710", PostgresErrors.SerializationFailure, PostgresErrors.DeadlockDetected];

    private const int JournalAttempts = 10;

    // The database may still be starting when the service does; beyond this, fail start-up loudly.
    private static readonly TimeSpan DatabaseWaitLimit = TimeSpan.FromSeconds(60);

    public static Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource dataSource, string schema, Assembly assembly, CancellationToken ct) =>
        MigrateAsync(dataSource, schema, EmbeddedMigrations.Load(assembly), NullLogger.Instance, ct);

    /// <summary>Applies the migrations not yet applied, in version order; returns the versions this call applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        NpgsqlDataSource dataSource,
        string schema,
        IEnumerable<Migration> migrations,
        ILogger logger,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ValidateSchemaName(schema);
        var ordered = InVersionOrder(migrations);

        await EnsureJournalAsync(dataSource, schema, ct);
        var alreadyApplied = await AppliedVersionsAsync(dataSource, schema, ct);

        var appliedNow = new List<string>();
        foreach (var migration in ordered.Where(m => !alreadyApplied.Contains(m.Version)))
        {
            if (await ApplyOnceAsync(dataSource, schema, migration, ct))
            {
                logger.LogInformation("Applied migration {Version} to schema {Schema}", migration.Version, schema);
                appliedNow.Add(migration.Version);
            }
            else
            {
                logger.LogInformation("Migration {Version} of schema {Schema} was applied by another instance", migration.Version, schema);
            }
        }

        return appliedNow;
    }

    /// <summary>
    /// <see cref="MigrateAsync(NpgsqlDataSource, string, IEnumerable{Migration}, ILogger, CancellationToken)"/> at host
    /// start-up: while the database is unreachable (a transient error), retries every second for up to a minute.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateWhenReachableAsync(
        NpgsqlDataSource dataSource,
        string schema,
        IReadOnlyList<Migration> migrations,
        ILogger logger,
        TimeProvider timeProvider,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return await MigrateAsync(dataSource, schema, migrations, logger, ct);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && timeProvider.GetElapsedTime(started) < DatabaseWaitLimit && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Database not reachable yet for the migrations of schema {Schema}: {Error}; retrying", schema, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, ct);
            }
        }
    }

    /// <summary>Returns <paramref name="schema"/> when it is a plain schema name safe to splice into SQL; throws otherwise.</summary>
    public static string ValidateSchemaName(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return SchemaName().IsMatch(schema)
            ? schema
            : throw new ArgumentException($"'{schema}' is not a valid schema name (lower-case letters, digits, underscores).", nameof(schema));
    }

    /// <summary>True when <paramref name="serverVersion"/>, the result of <c>SELECT version()</c>, is CockroachDB's.</summary>
    public static bool IsCockroachDb(string serverVersion) =>
        serverVersion.Contains("CockroachDB", StringComparison.OrdinalIgnoreCase);

    private static List<Migration> InVersionOrder(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var ordered = migrations.OrderBy(m => m.Version, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(m => m.Version, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration version '{duplicate.Key}' appears more than once.");
        }

        return ordered;
    }

    private static async Task EnsureJournalAsync(NpgsqlDataSource dataSource, string schema, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS {schema}", ct);
                await ExecuteAsync(connection, null,
                    $"""
                    CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                        version TEXT PRIMARY KEY,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                    )
                    """, ct);
                return;
            }
            catch (PostgresException ex) when (attempt < JournalAttempts && JournalRaceStates.Contains(ex.SqlState))
            {
                // The other instance created it first; IF NOT EXISTS sees it on the next try.
                await Task.Delay(TransactionRetryPolicy.Default.DelayBeforeRetry(attempt), ct);
            }
        }
    }

    private static async Task<HashSet<string>> AppliedVersionsAsync(NpgsqlDataSource dataSource, string schema, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT version FROM {schema}.schema_migrations");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    /// <summary>Claims the version and applies the migration in one transaction; false when another instance holds it.</summary>
    private static async Task<bool> ApplyOnceAsync(NpgsqlDataSource dataSource, string schema, Migration migration, CancellationToken ct)
    {
        await using var migrationConnection = await dataSource.OpenConnectionAsync(ct);
        var cockroachDb = await KeepDdlInTransactionAsync(migrationConnection, ct);
        return await migrationConnection.InTransactionAsync(async (connection, transaction, token) =>
        {
            await using var claim = new NpgsqlCommand(
                $"INSERT INTO {schema}.schema_migrations (version, applied_at) VALUES (@version, now()) ON CONFLICT (version) DO NOTHING",
                connection, transaction);
            claim.Parameters.AddWithValue("version", migration.Version);
            if (await claim.ExecuteNonQueryAsync(token) == 0)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, migration.SqlFor(cockroachDb), token);
            return true;
        }, ct);
    }

    /// <summary>
    /// On CockroachDB, stops DDL from committing the transaction so far (the version claim) before it runs; true there.
    /// </summary>
    private static async Task<bool> KeepDdlInTransactionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var version = new NpgsqlCommand("SELECT version()", connection);
        if (!IsCockroachDb(await version.ExecuteScalarAsync(ct) as string ?? "")) return false;
        try
        {
            await ExecuteAsync(connection, null, "SET autocommit_before_ddl = off", ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrors.UndefinedObject)
        {
            // CockroachDB before 25.1 has no such setting and never commits before DDL.
        }
        return true;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
