using System.Net.Sockets;
using System.Text;
using RestMan.Hosting.Processes;

namespace RestMan.Hosting.Resources;

/// <summary>Sessions, OTPs, caches: a local redis-server 7.</summary>
public sealed class RedisResource(string name) : InfrastructureResource(name, "redis", "7.0")
{
    private ChildProcess? _process;
    private int _port;

    public override string ConnectionString => ExternalConnectionString ?? $"127.0.0.1:{_port}";
    protected override ChildProcess? LocalProcess => _process;

    protected override Task StartLocalAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        _port = FreePort.Next();
        var dataDir = context.DataDirectory(Name);
        // A test's Redis is pure memory; the run's Redis snapshots so sessions survive a restart.
        string[] persistence = context.IsTesting ? ["--save", "", "--appendonly", "no"] : ["--save", "60 1", "--appendonly", "no"];
        _process = ChildProcess.Start("redis-server",
            ["--port", _port.ToString(), "--bind", "127.0.0.1", "--dir", dataDir, "--daemonize", "no", .. persistence], Log);
        return Task.CompletedTask;
    }

    protected override async Task CheckHealthyAsync(CancellationToken ct)
    {
        var (host, port) = ParseEndpoint(ConnectionString);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, ct);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        if (!reply.StartsWith("+PONG", StringComparison.Ordinal))
            throw new InvalidOperationException($"redis answered '{reply.Trim()}' to PING");
    }

    protected override Task StopLocalAsync() => _process?.StopAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask;

    private static (string Host, int Port) ParseEndpoint(string connectionString)
    {
        // StackExchange.Redis form: "host:port,option=value,..."; the first part is the endpoint.
        var endpoint = connectionString.Split(',')[0].Trim();
        var colon = endpoint.LastIndexOf(':');
        return colon < 0 ? (endpoint, 6379) : (endpoint[..colon], int.Parse(endpoint[(colon + 1)..]));
    }
}
