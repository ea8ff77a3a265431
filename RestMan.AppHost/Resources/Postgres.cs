using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// The transactional store run locally: a PostgreSQL server process (same wire protocol as the CockroachDB it is
/// deployed as; no CockroachDB binary exists in this machine's registries). PostgreSQL refuses root, so as root it runs
/// as the postgres user.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, string databaseName)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;
    public EndpointReference Endpoint => new(this, "tcp");

    // 127.0.0.1, not localhost: PostgreSQL listens on IPv4 only.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Database={DatabaseName};Username=postgres");

    /// <summary>The server's own <c>postgres</c> database, there before ours is created: for probing and creating.</summary>
    internal string AdminConnectionString => $"Host=127.0.0.1;Port={Endpoint.CurrentPort()};Database=postgres;Username=postgres;Pooling=false;Timeout=3";
}

/// <summary>The transactional store: CockroachDB containers when publishing, a local PostgreSQL process in run mode.</summary>
public static class CockroachOrPostgresBuilderExtensions
{
    private const string ContainerUser = "restman";

    // sh runs initdb once, then postgres; SIGTERM from DCP becomes SIGINT, PostgreSQL's fast shutdown.
    private const string Script = """
        [ -f "$1/PG_VERSION" ] || "$2/initdb" -D "$1" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null || exit 1
        data="$1"; bin="$2"; shift 2
        "$bin/postgres" -D "$data" "$@" & pid=$!
        trap 'kill -INT $pid' TERM INT
        wait $pid; wait $pid
        """;

    /// <summary>
    /// <paramref name="name"/> is the connection string's name either way; <paramref name="databaseName"/> exists before
    /// any dependant starts (the image creates it; locally it is created once the server is ready).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddCockroachOrPostgres(
        this IDistributedApplicationBuilder builder, string name, string databaseName)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 }) return builder.AddConnectionString(name);
        if (LocalInfrastructure.UseContainers(builder))
        {
            // Secure single node: on first start the image makes a CA and node certificate in /cockroach/certs and the
            // password user that owns the database; services sign in as that user over TLS.
            var password = builder.AddParameter($"{name}-password", LocalInfrastructure.GeneratedPassword, secret: true, persist: true);
            var container = new ServerContainerResource(name, "tcp", e => ReferenceExpression.Create(
                $"Host={e.Property(EndpointProperty.Host)};Port={e.Property(EndpointProperty.Port)};Database={databaseName};Username={ContainerUser};Password={password};SSL Mode=Require"));
            var containerCheck = $"{name}_check";
            builder.Services.AddHealthChecks().AddAsyncCheck(containerCheck,
                async ct => await ProbeAsync(await container.ConnectionStringExpression.GetValueAsync(ct) + ";Pooling=false;Timeout=3", ct));
            return builder.AddResource(container)
                .WithImage("cockroachdb/cockroach", "v24.2.4")
                .WithArgs("start-single-node")
                .WithEnvironment("COCKROACH_DATABASE", databaseName)
                .WithEnvironment("COCKROACH_USER", ContainerUser)
                .WithEnvironment("COCKROACH_PASSWORD", password)
                .WithEndpoint(targetPort: 26257, name: "tcp", scheme: "tcp")
                .WithHttpsEndpoint(targetPort: 8080, name: "console")
                .WithVolume("restman-cockroach-data", "/cockroach/cockroach-data")
                // The CA must outlive the container: a node restarted on existing data does not make new certificates.
                .WithVolume("restman-cockroach-certs", "/cockroach/certs")
                .WithHealthCheck(containerCheck);
        }

        var dataDir = PrepareDataDirectory(builder, name);
        var resource = new LocalPostgresResource(name, LocalInfrastructure.IsRoot ? "setpriv" : "sh", dataDir, databaseName);
        var postgres = builder.AddResource(resource).WithFreePortEndpoint("tcp", "tcp");
        List<object> settings = ["-p", resource.Endpoint.Property(EndpointProperty.Port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"];
        // Throwaway test data needs no crash safety.
        if (LocalInfrastructure.IsEphemeral(builder))
            settings.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        // The benchmark asks for per-statement figures (pg_stat_statements) to show where the database's time goes.
        if (builder.Configuration.GetValue<bool>("RestMan:PostgresStatementStats"))
            settings.AddRange(["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"]);
        object[] shell = ["sh", "-c", Script, "postgres", dataDir, PostgresBinaries(), .. settings];
        var args = LocalInfrastructure.IsRoot
            ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. shell]
            : shell[1..];

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => ProbeAsync(resource.AdminConnectionString, ct));
        // As Aspire's own PostgreSQL integration does: the database is made once the server is ready, and a dependant's
        // WaitFor completes only after this handler did.
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (_, ct) => CreateDatabaseAsync(resource.AdminConnectionString, databaseName, ct));
        return postgres
            .WithArgs(args)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>Healthy when the server answers a query; changes nothing.</summary>
    private static async Task<HealthCheckResult> ProbeAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var probe = new NpgsqlCommand("SELECT 1", connection);
            await probe.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }

    private static async Task CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    private static string PrepareDataDirectory(IDistributedApplicationBuilder builder, string name)
    {
        var dataDir = LocalInfrastructure.DataDirectory(builder, name);
        if (!LocalInfrastructure.IsRoot) return dataDir;
        LocalInfrastructure.Run("chown", "-R", "postgres:postgres", dataDir);
        if (LocalInfrastructure.Run("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "test", "-w", dataDir) == 0)
            return dataDir;

        // The checkout sits where the postgres user cannot enter (e.g. under /root): keep the data under /var/tmp instead.
        var fallback = Path.Combine("/var/tmp", "restman-" + Convert.ToHexString(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDir)))[..12], name);
        Directory.CreateDirectory(fallback);
        LocalInfrastructure.Run("chown", "-R", "postgres:postgres", Path.GetDirectoryName(fallback)!);
        return fallback;
    }

    private static string PostgresBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return versions.Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "postgres")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault() ?? throw new InvalidOperationException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql; run ./scripts/install-prerequisites.sh");
    }
}
