using System.Net;
using RestMan.Identity.Ownership;

namespace RestMan.Billing.Receipts;

/// <summary>The restaurant's name and details for its receipts, from the Restaurants service's public read.</summary>
public sealed class RestaurantDetailsClient(HttpClient http)
{
    public sealed record RestaurantDetails(Guid Id, string Name, string? Address, string? Phone);

    /// <exception cref="RestaurantsUnavailableException">Restaurants did not answer (the endpoint filter makes it a 503).</exception>
    public async Task<RestaurantDetails> GetAsync(Guid restaurantId, CancellationToken ct)
    {
        var url = $"/restaurants/{restaurantId}";
        try
        {
            using var response = await http.GetAsync(url, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new RestaurantsUnavailableException($"restaurants answered {(int)response.StatusCode} to GET {url}");
            return await response.Content.ReadFromJsonAsync<RestaurantDetails>(Json.Options, ct)
                ?? throw new RestaurantsUnavailableException($"restaurants answered GET {url} with an empty body");
        }
        catch (Exception ex) when (ex is not RestaurantsUnavailableException && !ct.IsCancellationRequested)
        {
            throw new RestaurantsUnavailableException($"restaurants could not be reached for GET {url}: {ex.Message}", ex);
        }
    }
}
