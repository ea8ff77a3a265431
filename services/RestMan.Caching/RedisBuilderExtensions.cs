using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace RestMan.Caching;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c>
    /// (e.g. "127.0.0.1:6379"), a <see cref="RedisCache"/> and a "redis" readiness health check.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        // Resolved lazily so configuration added by test hosts after Program.cs runs is still seen.
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Connection string 'ConnectionStrings:{connectionName}' is not configured " +
                    $"(environment variable ConnectionStrings__{connectionName}).");
            }

            return ConnectionMultiplexer.Connect(RedisConfiguration.Parse(connectionString));
        });
        builder.Services.AddSingleton<RedisCache>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }
}
