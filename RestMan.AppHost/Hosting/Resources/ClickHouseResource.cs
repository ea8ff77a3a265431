using System.Data.Common;
using RestMan.Hosting.Processes;

namespace RestMan.Hosting.Resources;

/// <summary>
/// Analytics store: Debian's ClickHouse 18.16 (old; the SQL we write stays inside what it supports so it also
/// runs on current ClickHouse).
/// </summary>
public sealed class ClickHouseResource(string name, string databaseName)
    : InfrastructureResource(name, "clickhouse/clickhouse-server", "24.8")
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ChildProcess? _process;
    private int _httpPort;

    public string DatabaseName { get; } = databaseName;

    public override string ConnectionString => ExternalConnectionString
        ?? $"Host=127.0.0.1;Port={_httpPort};Database={DatabaseName};Username=default;Password=";

    protected override ChildProcess? LocalProcess => _process;

    protected override Task StartLocalAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        var dataDir = context.DataDirectory(Name);
        Directory.CreateDirectory(Path.Combine(dataDir, "tmp"));
        _httpPort = FreePort.Next();
        _process = ChildProcess.Start(ServerBinary(),
        [
            "--config-file=/etc/clickhouse-server/config.xml", "--",
            $"--path={dataDir}/", $"--tmp_path={dataDir}/tmp/", $"--user_files_path={dataDir}/user_files/",
            $"--format_schema_path={dataDir}/format_schemas/",
            $"--http_port={_httpPort}", $"--tcp_port={FreePort.Next()}", $"--interserver_http_port={FreePort.Next()}",
            $"--logger.log={dataDir}/clickhouse-server.log", $"--logger.errorlog={dataDir}/clickhouse-server.err.log",
            "--logger.console=1", "--logger.level=warning",
        ], Log);
        return Task.CompletedTask;
    }

    protected override async Task CheckHealthyAsync(CancellationToken ct) => await QueryAsync("SELECT 1", useDatabase: IsExternal, ct);

    protected override Task PrepareAsync(CancellationToken ct) =>
        QueryAsync($"CREATE DATABASE IF NOT EXISTS {DatabaseName}", useDatabase: false, ct);

    protected override Task StopLocalAsync() => _process?.StopAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask;

    private async Task QueryAsync(string sql, bool useDatabase, CancellationToken ct)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        string Part(string key, string fallback) => parts.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : fallback;
        var uri = $"{Part("Protocol", "http")}://{Part("Host", "127.0.0.1")}:{Part("Port", "8123")}/";
        if (useDatabase) uri += $"?database={Uri.EscapeDataString(Part("Database", "default"))}";
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(sql) };
        request.Headers.Add("X-ClickHouse-User", Part("Username", "default"));
        request.Headers.Add("X-ClickHouse-Key", Part("Password", ""));
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"clickhouse: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static string ServerBinary() =>
        File.Exists("/usr/bin/clickhouse-server") ? "/usr/bin/clickhouse-server" : "/usr/sbin/clickhouse-server";
}
