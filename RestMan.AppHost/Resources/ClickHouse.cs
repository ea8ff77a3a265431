using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Analytics store: Debian's ClickHouse 18.16 in run mode (the newest any registry here serves; our SQL stays inside
/// what it supports), the clickhouse/clickhouse-server image when publishing.
/// </summary>
public sealed class ClickHouseResource(string name, string command, string workingDirectory, string databaseName)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;
    public EndpointReference Endpoint => new(this, "http");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Database={DatabaseName};Username=default;Password=");
}

public static class ClickHouseBuilderExtensions
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static IResourceBuilder<IResourceWithConnectionString> AddClickHouse(
        this IDistributedApplicationBuilder builder, string name, string databaseName)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 }) return builder.AddConnectionString(name);
        if (LocalInfrastructure.UseContainers(builder))
        {
            var password = builder.AddParameter($"{name}-password", LocalInfrastructure.GeneratedPassword, secret: true, persist: true);
            var container = new ServerContainerResource(name, "http", e => ReferenceExpression.Create(
                $"Host={e.Property(EndpointProperty.Host)};Port={e.Property(EndpointProperty.Port)};Database={databaseName};Username=default;Password={password}"));
            var containerCheck = $"{name}_check";
            builder.Services.AddHealthChecks().AddAsyncCheck(containerCheck, ct => PingAsync(container.PrimaryEndpoint.Host, container.PrimaryEndpoint.Port, ct));
            return builder.AddResource(container)
                .WithImage("clickhouse/clickhouse-server", "24.8")
                .WithEnvironment("CLICKHOUSE_DB", databaseName)
                .WithEnvironment("CLICKHOUSE_PASSWORD", password)
                .WithHttpEndpoint(targetPort: 8123, name: "http")
                .WithVolume("restman-clickhouse-data", "/var/lib/clickhouse")
                .WithHealthCheck(containerCheck);
        }

        var dataDir = LocalInfrastructure.DataDirectory(builder, name);
        Directory.CreateDirectory(Path.Combine(dataDir, "tmp"));
        var server = File.Exists("/usr/bin/clickhouse-server") ? "/usr/bin/clickhouse-server" : "/usr/sbin/clickhouse-server";
        var resource = new ClickHouseResource(name, server, dataDir, databaseName);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => PingAsync("127.0.0.1", resource.Endpoint.CurrentPort(), ct));
        // The database is made once the server is ready, before any dependant's WaitFor completes (as for PostgreSQL).
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (_, ct) => CreateDatabaseAsync(resource.Endpoint.CurrentPort(), databaseName, ct));
        EndpointReference Port(string endpoint) => new(resource, endpoint);
        return builder.AddResource(resource)
            .WithFreePortEndpoint("http", "http")
            .WithFreePortEndpoint("native", "tcp")
            .WithFreePortEndpoint("interserver", "http")
            .WithArgs(
                "--config-file=/etc/clickhouse-server/config.xml", "--",
                $"--path={dataDir}/", $"--tmp_path={dataDir}/tmp/", $"--user_files_path={dataDir}/user_files/",
                $"--format_schema_path={dataDir}/format_schemas/",
                ReferenceExpression.Create($"--http_port={Port("http").Property(EndpointProperty.Port)}"),
                ReferenceExpression.Create($"--tcp_port={Port("native").Property(EndpointProperty.Port)}"),
                ReferenceExpression.Create($"--interserver_http_port={Port("interserver").Property(EndpointProperty.Port)}"),
                $"--logger.log={dataDir}/clickhouse-server.log", $"--logger.errorlog={dataDir}/clickhouse-server.err.log",
                "--logger.console=1", "--logger.level=warning")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>Healthy when the HTTP interface answers <c>/ping</c> (no credentials needed); changes nothing.</summary>
    private static async Task<HealthCheckResult> PingAsync(string host, int port, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync($"http://{host}:{port}/ping", ct);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"clickhouse: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }

    private static async Task CreateDatabaseAsync(int port, string database, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/")
        {
            Content = new StringContent($"CREATE DATABASE IF NOT EXISTS {database}"),
        };
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"clickhouse could not create {database}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
