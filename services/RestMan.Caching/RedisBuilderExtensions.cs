using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace RestMan.Caching;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// Registers Aspire's Redis client for <c>ConnectionStrings:{connectionName}</c> (e.g. "127.0.0.1:6379") — a singleton
    /// <see cref="IConnectionMultiplexer"/>, its "StackExchange.Redis" health check and tracing — and a <see cref="RedisCache"/>.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        builder.AddRedisClient(connectionName, configureOptions: RedisConfiguration.Configure);
        builder.Services.AddSingleton<RedisCache>();
        return builder;
    }
}
