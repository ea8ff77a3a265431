using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RestMan.ClickHouse;

public static class ClickHouseBuilderExtensions
{
    /// <summary>
    /// Registers a typed <see cref="ClickHouseClient"/> for <c>ConnectionStrings:{connectionName}</c>
    /// and a "clickhouse" readiness health check.
    /// </summary>
    public static IHostApplicationBuilder AddClickHouse(this IHostApplicationBuilder builder, string connectionName = "clickhouse")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        // Resolved lazily so configuration added by test hosts after Program.cs runs is still seen.
        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Connection string 'ConnectionStrings:{connectionName}' is not configured " +
                    $"(environment variable ConnectionStrings__{connectionName}).");
            }

            return ClickHouseConnectionSettings.Parse(connectionString);
        });
        builder.Services.AddHttpClient<ClickHouseClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHealthChecks().AddCheck<ClickHouseHealthCheck>("clickhouse", tags: ["ready"]);
        return builder;
    }
}
