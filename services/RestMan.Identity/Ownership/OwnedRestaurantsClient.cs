using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RestMan.Identity.Ownership;

/// <summary>
/// Which restaurants an owner has, asked of the Restaurants service as that owner (<c>GET /restaurants?mine=true</c>)
/// with the identity the gateway vouched for re-signed for this request, since signatures cover method and path.
/// Not cached: an owner who just opened a restaurant must see it (and its first orders) at once. Shared by every
/// service that scopes an owner's view: orders, kitchen, billing, analytics.
/// </summary>
public sealed class OwnedRestaurantsClient(HttpClient http, IConfiguration configuration, TimeProvider clock)
{
    private const string Path = "/restaurants";
    private const int PageSize = 100;

    /// <summary>The restaurants <paramref name="owner"/> owns; none for any other role (it must never be raised to owner).</summary>
    public async Task<IReadOnlyList<Guid>> OwnedByAsync(ClaimsPrincipal owner, CancellationToken ct)
    {
        if (!owner.IsInRole(Roles.Owner)) return [];
        var identity = new ForwardedIdentity(owner.UserId(), Roles.Owner, null, owner.SessionExpiresAt());
        var key = IdentityHeaders.KeyFrom(configuration["Identity:SigningKey"]);
        var owned = new List<Guid>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await GetPageAsync(identity, key, offset, ct);
            owned.AddRange(page.Select(r => r.Id));
            if (page.Count < PageSize) return owned;
        }
    }

    private async Task<List<OwnedRestaurant>> GetPageAsync(ForwardedIdentity identity, byte[] key, int offset, CancellationToken ct)
    {
        var url = $"{Path}?mine=true&limit={PageSize}&offset={offset.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            foreach (var (name, value) in IdentityHeaders.Sign(identity, request.Method.Method, url, key, clock.GetUtcNow()))
                request.Headers.TryAddWithoutValidation(name, value);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new RestaurantsUnavailableException($"restaurants answered {(int)response.StatusCode} to GET {url}");
            return await response.Content.ReadFromJsonAsync<List<OwnedRestaurant>>(Json.Options, ct)
                ?? throw new RestaurantsUnavailableException($"restaurants answered GET {url} with an empty body");
        }
        catch (Exception ex) when (ex is not RestaurantsUnavailableException && !ct.IsCancellationRequested)
        {
            throw new RestaurantsUnavailableException($"restaurants could not be reached for GET {url}: {ex.Message}", ex);
        }
    }


    private sealed record OwnedRestaurant(Guid Id);
}

/// <summary>The Restaurants service could not say which restaurants an owner has; the caller answers 503.</summary>
public sealed class RestaurantsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public static class OwnedRestaurantsExtensions
{
    /// <summary>Registers the client against the <c>restaurants</c> resource (service discovery: <c>services:restaurants:http:0</c>).</summary>
    public static IServiceCollection AddOwnedRestaurantsClient(this IServiceCollection services)
    {
        services.AddHttpClient<OwnedRestaurantsClient>(http => http.BaseAddress = new Uri("http://restaurants"));
        services.AddTransient<RestaurantScope>();
        return services;
    }
}

/// <summary>Without the Restaurants service no owner can be scoped (nor an order priced): a 503 to retry, never a 500.</summary>
public sealed class RestaurantsUnavailableFilter(ILogger<RestaurantsUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RestaurantsUnavailableException ex)
        {
            logger.LogError(ex, "The Restaurants service did not answer");
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "restaurants_unavailable",
                "The restaurants directory cannot be reached right now; try again in a moment.");
        }
    }
}
