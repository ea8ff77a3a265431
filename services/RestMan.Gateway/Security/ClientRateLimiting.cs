using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace RestMan.Gateway.Security;

/// <summary>
/// A fixed window of requests per client address (config <c>Gateway:RateLimit:PermitsPerMinute</c>), counted in Redis so
/// every gateway replica spends the same budget, without a Redis round trip per request: each gateway takes permits in
/// blocks and spends them locally (<see cref="ClientBudget"/>). The address is the real client's: the connection's peer,
/// or the <c>X-Forwarded-For</c> a trusted proxy set (<see cref="TrustedProxies"/>; the web app forwards its browser's).
/// While Redis cannot be reached each replica counts on its own, so an outage of Redis never fails a request.
/// </summary>
public static class ClientRateLimiting
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("Gateway:RateLimit:PermitsPerMinute", 1200);
        var window = TimeSpan.FromMinutes(1);
        return services.AddRateLimiter(options =>
        {
            // A client idle for 10 s is dropped (the partitioned limiter's own rule), with at most its stock: memory follows active clients.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var client = context.Connection.RemoteIpAddress is { } address
                    ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : "unknown";
                var services = context.RequestServices;
                return RateLimitPartition.Get(client, key => new ClientBudget(key, permits, window,
                    services.GetService<IConnectionMultiplexer>() is { } redis ? new RedisBudgetCounter(redis) : null,
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientRateLimiting))));
            });
            options.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.Response.Headers.RetryAfter = Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = 429, Detail = "Too many requests from this address; try again later.", Extensions = { ["code"] = "rate_limited" } },
                });
            };
        });
    }
}
