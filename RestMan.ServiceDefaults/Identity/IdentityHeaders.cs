using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>The caller's identity as the gateway (or a calling service) vouches for it.</summary>
public sealed record ForwardedIdentity(Guid UserId, string Role, Guid? RestaurantId, DateTimeOffset? SessionExpiresAt);

/// <summary>
/// Identity travels between our processes in headers signed with HMAC-SHA256 over the request's method, path, a
/// timestamp and the identity itself; the key is handed to every service by the AppHost (<c>Identity:SigningKey</c>).
/// A service trusts nothing else: unsigned, stale or tampered identity is rejected.
/// </summary>
public static class IdentityHeaders
{
    public const string UserId = "X-RestMan-User-Id";
    public const string Role = "X-RestMan-Role";
    public const string RestaurantId = "X-RestMan-Restaurant-Id";
    public const string SessionExpires = "X-RestMan-Session-Expires";
    public const string Timestamp = "X-RestMan-Identity-Timestamp";
    public const string Signature = "X-RestMan-Identity-Signature";

    public static readonly string[] All = [UserId, Role, RestaurantId, SessionExpires, Timestamp, Signature];

    /// <summary>How old a signature may be: long enough for a slow hop, short enough to make replay useless.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <param name="target">The decoded path and the raw query string, exactly as the receiving service will see them.</param>
    public static IReadOnlyList<(string Name, string Value)> Sign(ForwardedIdentity identity, string method, string target, byte[] key, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var restaurant = identity.RestaurantId?.ToString() ?? "";
        var expires = identity.SessionExpiresAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "";
        var signature = Compute(key, method, target, timestamp, identity.UserId.ToString(), identity.Role, restaurant, expires);
        return
        [
            (UserId, identity.UserId.ToString()), (Role, identity.Role), (RestaurantId, restaurant),
            (SessionExpires, expires), (Timestamp, timestamp), (Signature, signature),
        ];
    }

    public static bool IsPresent(IHeaderDictionary headers) => All.Any(headers.ContainsKey);

    /// <summary>The identity if the headers are present, fresh and correctly signed; otherwise why not.</summary>
    public static (ForwardedIdentity? Identity, string? Error) Read(HttpRequest request, byte[] key, DateTimeOffset now)
    {
        var h = request.Headers;
        string userId = h[UserId].ToString(), role = h[Role].ToString(), restaurant = h[RestaurantId].ToString(),
            expires = h[SessionExpires].ToString(), timestamp = h[Timestamp].ToString(), signature = h[Signature].ToString();
        if (signature.Length == 0 || timestamp.Length == 0) return (null, "identity headers are not signed");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxAge)
            return (null, "identity signature is stale");

        // Decoded path (PathString.ToString() would re-escape it) and raw query: a signature fits one request only.
        var target = request.PathBase.Value + request.Path.Value + request.QueryString.Value;
        var expected = Compute(key, request.Method, target, timestamp, userId, role, restaurant, expires);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return (null, "identity signature does not match");
        if (!Guid.TryParse(userId, out var id) || role.Length == 0) return (null, "identity is incomplete");

        Guid? restaurantId = Guid.TryParse(restaurant, out var r) ? r : null;
        DateTimeOffset? expiresAt = long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            ? DateTimeOffset.FromUnixTimeSeconds(e) : null;
        if (expiresAt is { } at && at <= now) return (null, "session has expired");
        return (new ForwardedIdentity(id, role, restaurantId, expiresAt), null);
    }

    private static string Compute(byte[] key, params string[] parts)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', parts));
        return Convert.ToBase64String(HMACSHA256.HashData(key, payload));
    }

    public static byte[] KeyFrom(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? throw new InvalidOperationException("Identity:SigningKey is not configured; the AppHost hands it to every service")
            : Convert.FromBase64String(configured);
}
