using System.Net;
using RestMan.Identity.Ownership;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;


/// <summary>What Orders asks the Restaurants service, with its own signed service identity, to accept an order.</summary>
public sealed class RestaurantsClient(HttpClient http)
{
    /// <summary>The foods with these ids (at most 100); unknown ids are absent, deleted foods come back unavailable.</summary>
    public async Task<IReadOnlyDictionary<Guid, MenuFood>> GetFoodsAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var foods = await GetAsync<List<MenuFood>>($"/internal/foods?ids={string.Join(',', ids)}", ct)
            ?? throw new RestaurantsUnavailableException("restaurants answered /internal/foods with 404");
        return foods.ToDictionary(f => f.Id);
    }

    /// <summary>Whether the restaurant exists and is open to the public, so taking orders.</summary>
    public async Task<bool> IsOpenAsync(Guid restaurantId, CancellationToken ct) =>
        await GetAsync<OpenRestaurant>($"/restaurants/{restaurantId}", ct) is { IsActive: true };

    /// <summary>The restaurant's opening hours when it exists and is open to the public, else null.</summary>
    public async Task<OpeningHours?> GetOpeningHoursAsync(Guid restaurantId, CancellationToken ct) =>
        await GetAsync<OpenRestaurant>($"/restaurants/{restaurantId}", ct) is { IsActive: true } restaurant
            ? new OpeningHours(ParseTime(restaurant.OpensAt, new TimeOnly(11, 0)), ParseTime(restaurant.ClosesAt, new TimeOnly(23, 0)))
            : null;

    // A Restaurants service older than opening hours sends none: the defaults its migration gives every restaurant.
    private static TimeOnly ParseTime(string? time, TimeOnly fallback) =>
        TimeOnly.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private async Task<T?> GetAsync<T>(string url, CancellationToken ct) where T : class
    {
        try
        {
            using var response = await http.GetAsync(url, ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new RestaurantsUnavailableException($"restaurants answered {(int)response.StatusCode} to GET {url}");
            return await response.Content.ReadFromJsonAsync<T>(Json.Options, ct)
                ?? throw new RestaurantsUnavailableException($"restaurants answered GET {url} with an empty body");
        }
        catch (Exception ex) when (ex is not RestaurantsUnavailableException && !ct.IsCancellationRequested)
        {
            throw new RestaurantsUnavailableException($"restaurants could not be reached for GET {url}: {ex.Message}", ex);
        }
    }

    private sealed record OpenRestaurant(Guid Id, bool IsActive, string? OpensAt = null, string? ClosesAt = null);
}
