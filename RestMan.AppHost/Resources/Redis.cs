using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>Sessions, OTPs, caches: a local redis-server 7 in run mode; Aspire's Redis container when publishing.</summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}

public static class RedisServerBuilderExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 }) return builder.AddConnectionString(name);
        if (LocalInfrastructure.UseContainers(builder)) return AddRedisContainer(builder, name);

        var dataDir = LocalInfrastructure.DataDirectory(builder, name);
        var resource = new RedisServerResource(name, dataDir);
        // A test's Redis is pure memory; the run's Redis snapshots so sessions survive a restart.
        string[] persistence = LocalInfrastructure.IsEphemeral(builder) ? ["--save", "", "--appendonly", "no"] : ["--save", "60 1", "--appendonly", "no"];
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => PingAsync(resource.Endpoint.CurrentPort(), ct));
        return builder.AddResource(resource)
            .WithFreePortEndpoint("tcp", "tcp")
            .WithArgs(["--port", resource.Endpoint.Property(EndpointProperty.Port), "--bind", "127.0.0.1", "--dir", dataDir, "--daemonize", "no", .. persistence])
            .WithHealthCheck(healthCheck);
    }

    // Its own method: Aspire.Hosting.Redis is loaded only when a container is really wanted (the tests do not ship it).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IResourceBuilder<IResourceWithConnectionString> AddRedisContainer(IDistributedApplicationBuilder builder, string name) =>
        builder.AddRedis(name).WithDataVolume("restman-redis-data");

    private static async Task<HealthCheckResult> PingAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, ct);
            await using var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, ct);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"redis answered '{reply.Trim()}' to PING");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
