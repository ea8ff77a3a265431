using Npgsql;
using RestMan.Hosting.Processes;

namespace RestMan.Hosting.Resources;

/// <summary>
/// The transactional store. Deployed as CockroachDB; run locally as PostgreSQL 15, which speaks the same wire
/// protocol (no CockroachDB binary exists in this machine's registries). PostgreSQL refuses to run as root, so as
/// root it runs as the <c>postgres</c> OS user in a data folder that user owns.
/// </summary>
public sealed class CockroachResource(string name, string databaseName)
    : InfrastructureResource(name, "cockroachdb/cockroach", "v24.2.4")
{
    private ChildProcess? _process;
    private int _port;

    public string DatabaseName { get; } = databaseName;

    public override string ConnectionString => ExternalConnectionString
        ?? $"Host=127.0.0.1;Port={_port};Database={DatabaseName};Username=postgres;Maximum Pool Size=20";

    protected override ChildProcess? LocalProcess => _process;

    protected override async Task StartLocalAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        var bin = PostgresBinaries();
        var dataDir = await PrepareDataDirectoryAsync(context, ct);
        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
            await Command.RunCheckedAsync(AsPostgres(Path.Combine(bin, "initdb"), out var initArgs),
                [.. initArgs, "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], Log, ct);

        _port = FreePort.Next();
        List<string> settings =
        [
            "-D", dataDir, "-p", _port.ToString(), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=", "-c", "max_connections=300",
        ];
        // Throwaway test data needs no crash safety; the run's own data keeps PostgreSQL's defaults.
        if (context.IsTesting) settings.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        _process = ChildProcess.Start(AsPostgres(Path.Combine(bin, "postgres"), out var runArgs), [.. runArgs, .. settings], Log);
    }

    protected override async Task CheckHealthyAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!IsExternal) admin.Database = "postgres";
        admin.Pooling = false;
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(ct);
    }

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = DatabaseName });
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
    protected override Task StopLocalAsync() => _process?.StopAsync(TimeSpan.FromSeconds(5), interrupt: true) ?? Task.CompletedTask;

    private async Task<string> PrepareDataDirectoryAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        var dataDir = context.DataDirectory(Name);
        if (!DistributedApplicationContext.IsRoot) return dataDir;

        await Command.RunCheckedAsync("chown", ["-R", "postgres:postgres", dataDir], Log, ct);
        if (await Command.RunAsync("runuser", ["-u", "postgres", "--", "test", "-w", dataDir], Log, ct) == 0)
            return dataDir;

        // The checkout sits where the postgres user cannot enter (e.g. under /root): keep the data beside it instead.
        var fallback = Path.Combine("/var/tmp", "restman-" + Convert.ToHexString(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDir)))[..12], Name);
        Directory.CreateDirectory(fallback);
        await Command.RunCheckedAsync("chown", ["-R", "postgres:postgres", Path.GetDirectoryName(fallback)!], Log, ct);
        Log.Write($"the postgres user cannot reach {dataDir}; using {fallback}");
        return fallback;
    }

    private static string AsPostgres(string program, out string[] arguments)
    {
        if (DistributedApplicationContext.IsRoot)
        {
            arguments = ["-u", "postgres", "--", program];
            return "runuser";
        }
        arguments = [];
        return program;
    }

    private static string PostgresBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "postgres")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql; run ./scripts/install-prerequisites.sh");
    }
}
