using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RestMan.Identity;

/// <summary>
/// The Redis channel on which <see cref="SessionStore"/> announces every revocation, so each process that keeps
/// sessions in memory (every gateway replica) forgets them at once: <c>token:{hash}</c> or <c>user:{id}</c>.
/// </summary>
public static class SessionRevocations
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("sessions:revoked");

    public static string OfToken(string hash) => "token:" + hash;

    public static string OfUser(Guid userId) => "user:" + userId.ToString("D");

    internal static Task PublishAsync(IConnectionMultiplexer redis, string message) =>
        redis.GetSubscriber().PublishAsync(Channel, message);
}

/// <summary>
/// Sessions resolved by this process, kept for a few seconds so a signed-in request usually costs no Redis round
/// trip. A revocation anywhere reaches every process through <see cref="SessionRevocations"/> and removes the entry at
/// once; while that channel is not known to be listening (start-up, a lost connection) nothing is served from memory.
/// </summary>
public sealed class SessionCache(SessionStore store, IConnectionMultiplexer redis, TimeProvider clock, ILogger<SessionCache> logger)
    : IHostedService
{
    /// <summary>The longest a session stays in memory: what a revocation message lost in transit could cost.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    // Beyond this many sessions the memory is simply dropped: a bound, not an eviction policy.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;
    private volatile bool _listening;

    private sealed record Entry(Session Session, long CachedUntil);

    public async Task<Session?> ResolveAsync(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        var hash = SessionStore.Hash(token);
        var now = clock.GetTimestamp();
        if (_listening && _entries.TryGetValue(hash, out var entry) && entry.CachedUntil > now && entry.Session.ExpiresAt > clock.GetUtcNow())
            return entry.Session;

        // A revocation that arrives while Redis answers must win over the answer: the generation says one did.
        var generation = Interlocked.Read(ref _generation);
        var session = await store.ResolveHashAsync(hash);
        if (session is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }
        if (_listening && generation == Interlocked.Read(ref _generation))
        {
            if (_entries.Count >= MaxEntries) _entries.Clear();
            _entries[hash] = new Entry(session, now + (long)(Lifetime.TotalSeconds * clock.TimestampFrequency));
        }
        return session;
    }

    /// <summary>Drops <paramref name="token"/> here at once (its sign-out went through this process); others hear it from Redis.</summary>
    public void Forget(string token)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(SessionStore.Hash(token), out _);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += (_, _) => Forget(listening: false);
        redis.ConnectionRestored += (_, _) => Forget(listening: redis.IsConnected);
        try
        {
            await redis.GetSubscriber().SubscribeAsync(SessionRevocations.Channel, (_, message) => Revoked(message));
            _listening = true;
        }
        catch (RedisException ex)
        {
            // Resolving still works through Redis; memory stays off until the connection is restored and re-subscribed.
            logger.LogWarning(ex, "Session revocations cannot be heard yet; sessions are read from Redis on every request");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Revoked(RedisValue message)
    {
        Interlocked.Increment(ref _generation);
        var text = (string?)message ?? "";
        if (text.StartsWith("token:", StringComparison.Ordinal))
        {
            _entries.TryRemove(text["token:".Length..], out _);
        }
        else if (text.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(text["user:".Length..], out var userId))
        {
            foreach (var (hash, entry) in _entries)
                if (entry.Session.UserId == userId) _entries.TryRemove(hash, out _);
        }
        else
        {
            _entries.Clear();
        }
    }

    private void Forget(bool listening)
    {
        Interlocked.Increment(ref _generation);
        _listening = listening;
        _entries.Clear();
    }
}

public static class SessionCacheExtensions
{
    /// <summary>The session store with a revocation-aware memory in front (the gateway's per-request check).</summary>
    public static IServiceCollection AddSessionCache(this IServiceCollection services)
    {
        services.AddSessionStore();
        services.AddSingleton<SessionCache>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionCache>());
        return services;
    }
}
