using System.Globalization;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace RestMan.Gateway.Security;

/// <summary>
/// A fixed window of requests per client address (config <c>Gateway:RateLimit:PermitsPerMinute</c>), counted in Redis so
/// every gateway replica spends the same budget. The address is the real client's: the connection's peer, or the
/// <c>X-Forwarded-For</c> a trusted proxy set (<see cref="TrustedProxies"/>; the web app forwards its browser's). While
/// Redis cannot be reached each replica counts on its own, so an outage of Redis never fails a request.
/// </summary>
public static class ClientRateLimiting
{
    /// <summary>Redis keys of the budgets: <c>{prefix}&lt;address&gt;</c> (the library adds its own <c>rl:fw:</c> around it).</summary>
    public const string KeyPrefix = "restman:gateway:client:";

    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("Gateway:RateLimit:PermitsPerMinute", 1200);
        var window = TimeSpan.FromMinutes(1);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var client = context.Connection.RemoteIpAddress is { } address
                    ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : "unknown";
                var services = context.RequestServices;
                return RateLimitPartition.Get(client, key => new SharedOrLocalRateLimiter(
                    services.GetService<IConnectionMultiplexer>() is { } redis
                        ? new RedisFixedWindowRateLimiter<string>(KeyPrefix + key, new RedisFixedWindowRateLimiterOptions
                        {
                            ConnectionMultiplexerFactory = () => redis, PermitLimit = permits, Window = window,
                        })
                        : null,
                    new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }),
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

    /// <summary>The shared (Redis) budget; this replica's own while Redis fails.</summary>
    private sealed class SharedOrLocalRateLimiter(RateLimiter? shared, RateLimiter local, ILogger logger) : RateLimiter
    {
        public override TimeSpan? IdleDuration => local.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

        // Redis is asynchronous only: the middleware's synchronous attempt fails over to AcquireAsync.
        protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
            shared is null ? local.AttemptAcquire(permitCount) : Failed.Instance;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (shared is null) return await local.AcquireAsync(permitCount, cancellationToken);
            try
            {
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Shared rate limit unavailable, counting on this gateway alone: {Error}", ex.Message);
                return await local.AcquireAsync(permitCount, cancellationToken);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                shared?.Dispose();
                local.Dispose();
            }
            base.Dispose(disposing);
        }

        private sealed class Failed : RateLimitLease
        {
            public static readonly Failed Instance = new();
            public override bool IsAcquired => false;
            public override IEnumerable<string> MetadataNames => [];
            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }
        }
    }
}
