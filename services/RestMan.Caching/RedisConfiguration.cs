using StackExchange.Redis;

namespace RestMan.Caching;

public static class RedisConfiguration
{
    /// <summary>
    /// Never abort on a failed first connect: the service starts while Redis is down, reports it through its health,
    /// and reconnects on its own.
    /// </summary>
    public static void Configure(ConfigurationOptions options) => options.AbortOnConnectFail = false;
}
