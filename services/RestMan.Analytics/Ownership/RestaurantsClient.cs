using System.Globalization;
using System.Net;
using System.Security.Claims;

namespace RestMan.Analytics.Ownership;

/// <summary>The Restaurants service did not answer; no report can be scoped, so the caller answers 503.</summary>
public sealed class RestaurantsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Asks the Restaurants service which restaurants an owner has: <c>GET /restaurants?mine=true</c> as the owner, with
/// the identity the gateway vouched for re-signed for this request (signatures cover method and path).
/// </summary>
public sealed class RestaurantsClient(HttpClient http, IConfiguration configuration, TimeProvider clock)
{
    private const int PageSize = 100;

    public async Task<IReadOnlyList<Guid>> OwnedByAsync(ClaimsPrincipal owner, CancellationToken ct)
    {
        var identity = new ForwardedIdentity(owner.UserId(), Roles.Owner, null, SessionExpiry(owner));
        var key = IdentityHeaders.KeyFrom(configuration["Identity:SigningKey"]);
        var owned = new List<Guid>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await GetPageAsync(identity, key, offset, ct);
            owned.AddRange(page.Select(restaurant => restaurant.Id));
            if (page.Count < PageSize)
            {
                return owned;
            }
        }
    }

    private async Task<List<OwnedRestaurant>> GetPageAsync(ForwardedIdentity identity, byte[] key, int offset, CancellationToken ct)
    {
        const string path = "/restaurants";
        var url = $"{path}?mine=true&limit={PageSize}&offset={offset.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            foreach (var (name, value) in IdentityHeaders.Sign(identity, request.Method.Method, path, key, clock.GetUtcNow()))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new RestaurantsUnavailableException($"restaurants answered {(int)response.StatusCode} to GET {url}");
            }

            return await response.Content.ReadFromJsonAsync<List<OwnedRestaurant>>(Json.Options, ct)
                ?? throw new RestaurantsUnavailableException($"restaurants answered GET {url} with an empty body");
        }
        catch (Exception ex) when (ex is not RestaurantsUnavailableException && !ct.IsCancellationRequested)
        {
            throw new RestaurantsUnavailableException($"restaurants could not be reached for GET {url}: {ex.Message}", ex);
        }
    }

    private static DateTimeOffset? SessionExpiry(ClaimsPrincipal owner) =>
        long.TryParse(owner.FindFirstValue(IdentityClaims.SessionExpiresAtType), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private sealed record OwnedRestaurant(Guid Id);
}
