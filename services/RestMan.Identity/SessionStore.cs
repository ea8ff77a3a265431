using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace RestMan.Identity;

/// <summary>A signed-in person: who, in which role, bound to which restaurant (kitchen staff), until when.</summary>
public sealed record Session(Guid UserId, string Email, string Role, Guid? RestaurantId, DateTimeOffset ExpiresAt)
{
    public ForwardedIdentity ToIdentity() => new(UserId, Role, RestaurantId, ExpiresAt);
}

public sealed record IssuedSession(string Token, Session Session);

/// <summary>
/// Sessions in Redis, shared by Auth (issues, revokes), the gateway (resolves) and the scheduler's deactivation.
/// Keys hold the SHA-256 of the token, never the token: <c>session:{hash}</c>, plus <c>user_sessions:{user_id}</c>,
/// the set of a user's session hashes, so all of them can be ended at once.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, TimeProvider clock)
{
    public async Task<IssuedSession> CreateAsync(Guid userId, string email, string role, Guid? restaurantId, TimeSpan lifetime)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32)); // 256 bits
        var hash = Hash(token);
        var session = new Session(userId, email, role, restaurantId, clock.GetUtcNow().Add(lifetime));
        var db = redis.GetDatabase();
        var batch = db.CreateTransaction();
        _ = batch.StringSetAsync(SessionKey(hash), JsonSerializer.Serialize(session, Json.Options), lifetime);
        _ = batch.SetAddAsync(UserKey(userId), hash);
        // The index lives as long as the longest session it may list.
        _ = batch.KeyExpireAsync(UserKey(userId), lifetime);
        await batch.ExecuteAsync();
        return new IssuedSession(token, session);
    }

    public async Task<Session?> ResolveAsync(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        return await ResolveHashAsync(Hash(token));
    }

    /// <summary>The live session whose token hashes to <paramref name="hash"/>, or null.</summary>
    public async Task<Session?> ResolveHashAsync(string hash)
    {
        var value = await ReadRidingThroughRestartAsync(SessionKey(hash));
        if (value.IsNullOrEmpty) return null;
        var session = JsonSerializer.Deserialize<Session>((string)value!, Json.Options);
        return session is not null && session.ExpiresAt > clock.GetUtcNow() ? session : null;
    }

    /// <summary>How long a session read waits for Redis to come back: a restart takes a second or two, and a read is safe to repeat.</summary>
    public static readonly TimeSpan RestartPatience = TimeSpan.FromSeconds(5);

    // Commands cut off by a dropped connection fail at once; the ones after it wait in the client's backlog until it reconnects.
    private async Task<RedisValue> ReadRidingThroughRestartAsync(string key)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            try
            {
                return await redis.GetDatabase().StringGetAsync(key);
            }
            catch (RedisConnectionException) when (clock.GetElapsedTime(started) < RestartPatience)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock);
            }
        }
    }

    public async Task RevokeAsync(string token)
    {
        var hash = Hash(token);
        var db = redis.GetDatabase();
        var value = await db.StringGetAsync(SessionKey(hash));
        await db.KeyDeleteAsync(SessionKey(hash));
        if (!value.IsNullOrEmpty && JsonSerializer.Deserialize<Session>((string)value!, Json.Options) is { } session)
            await db.SetRemoveAsync(UserKey(session.UserId), hash);
        await SessionRevocations.PublishAsync(redis, SessionRevocations.OfToken(hash), clock);
    }

    /// <summary>Ends every session of the user; returns how many were live.</summary>
    public async Task<long> RevokeAllAsync(Guid userId)
    {
        var db = redis.GetDatabase();
        var hashes = await db.SetMembersAsync(UserKey(userId));
        var keys = hashes.Select(h => (RedisKey)SessionKey(h!)).Append(UserKey(userId)).ToArray();
        var ended = Math.Max(0, await db.KeyDeleteAsync(keys) - 1);
        await SessionRevocations.PublishAsync(redis, SessionRevocations.OfUser(userId), clock);
        return ended;
    }

    private static string SessionKey(string hash) => "session:" + hash;
    private static string UserKey(Guid userId) => "user_sessions:" + userId;

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class SessionStoreExtensions
{
    /// <summary>Needs Redis registered first (<c>builder.AddRedis("redis")</c>).</summary>
    public static IServiceCollection AddSessionStore(this IServiceCollection services) => services.AddSingleton<SessionStore>();
}
