using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RestMan.Identity;

/// <summary>
/// The Redis channel on which <see cref="SessionStore"/> announces every revocation, so each process that keeps
/// sessions in memory (every gateway replica) forgets them: <c>{id} token:{hash}</c> or <c>{id} user:{id}</c>. The
/// revoker waits until every process that heard it has answered on <c>sessions:revoked:{id}</c>, so once a sign-out
/// or unbinding has answered, no gateway serves the ended session from memory.
/// </summary>
public static class SessionRevocations
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("sessions:revoked");

    /// <summary>How long a revoker waits for the listeners' answers; past it, memory still ends within <see cref="SessionCache.Lifetime"/>.</summary>
    public static readonly TimeSpan AnswerPatience = TimeSpan.FromSeconds(2);

    public static string OfToken(string hash) => "token:" + hash;

    public static string OfUser(Guid userId) => "user:" + userId.ToString("D");

    internal static async Task PublishAsync(IConnectionMultiplexer redis, string what, TimeProvider clock)
    {
        var id = Guid.NewGuid().ToString("N");
        var heard = await redis.GetSubscriber().PublishAsync(Channel, id + " " + what);
        var db = redis.GetDatabase();
        var started = clock.GetTimestamp();
        // Revocations are rare and the answers come within milliseconds: a short poll is simpler than another channel.
        while (heard > 0 && (long)await db.StringGetAsync(AnswersKey(id)) < heard && clock.GetElapsedTime(started) < AnswerPatience)
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock);
    }

    /// <summary>Splits a message into its id (null for a message without one) and what it revokes.</summary>
    internal static (string? Id, string What) Parse(string message) =>
        message.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? (message[..space], message[(space + 1)..]) : (null, message);

    /// <summary>Tells the revoker that this process has dropped what message <paramref name="id"/> revoked.</summary>
    internal static void Answer(IConnectionMultiplexer redis, string id)
    {
        var db = redis.GetDatabase();
        db.StringIncrement(AnswersKey(id), flags: CommandFlags.FireAndForget);
        db.KeyExpire(AnswersKey(id), TimeSpan.FromMinutes(1), flags: CommandFlags.FireAndForget);
    }

    private static string AnswersKey(string id) => "sessions:revoked:" + id;
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
        var (id, text) = SessionRevocations.Parse((string?)message ?? "");
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
        if (id is not null) SessionRevocations.Answer(redis, id);
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
