using StackExchange.Redis;

namespace RestMan.Caching;

public static class RedisConfiguration
{
    /// <summary>
    /// Parses a StackExchange.Redis configuration string, never aborting on a failed first connect:
    /// the service starts while Redis is down, reports it through its health, and reconnects on its own.
    /// </summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        Configure(options);
        return options;
    }

    public static void Configure(ConfigurationOptions options) => options.AbortOnConnectFail = false;
}
