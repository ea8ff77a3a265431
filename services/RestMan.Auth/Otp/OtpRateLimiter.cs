using System.Net;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RestMan.Auth.Otp;

/// <summary>
/// Fixed-window counters in Redis, so every Auth instance shares the same budget: per email address and per client
/// address. Returns how long to wait when a budget is spent.
/// </summary>
public sealed class OtpRateLimiter(IConnectionMultiplexer redis, IOptions<AuthOptions> options)
{
    // Counts the hit and starts the window on the first one; repairs a counter somehow left without expiry.
    private const string HitScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private readonly OtpRateLimits _limits = options.Value.RateLimits;

    /// <summary>Null when allowed; otherwise the time until the spent window ends.</summary>
    public async Task<TimeSpan?> HitAsync(string email, string clientAddress)
    {
        // The client budget first: one address spraying many emails is stopped without touching their budgets.
        return await HitAsync($"ratelimit:otp:client:{clientAddress}", _limits.PerClient)
            ?? await HitAsync($"ratelimit:otp:email:{email}", _limits.PerEmail);
    }

    private async Task<TimeSpan?> HitAsync(string key, RateLimit limit)
    {
        var window = (long)Math.Max(1, limit.Window.TotalMilliseconds);
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HitScript, [key], [window]))!;
        var count = (long)result[0];
        var ttl = (long)result[1];
        return count > limit.Limit ? TimeSpan.FromMilliseconds(Math.Max(1, ttl)) : null;
    }

    /// <summary>
    /// The caller's address: from a trusted proxy (<c>RestMan:TrustedProxies</c>; loopback by default), i.e. the gateway,
    /// the first X-Forwarded-For hop, which the gateway sets to the real client (its peer, or what its own trusted
    /// proxies said: the load balancer, the web app for its browsers); from anyone else, this connection's peer.
    /// </summary>
    public static string ClientAddress(HttpContext context, IReadOnlyList<System.Net.IPNetwork> trustedProxies)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Connection.RemoteIpAddress;
        if (TrustedProxies.IsTrusted(peer, trustedProxies))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var first = forwarded.Split(',', 2)[0].Trim();
            if (IPAddress.TryParse(first, out var address)) return address.ToString();
        }
        if (peer is null) return "unknown";
        return (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
    }
}
