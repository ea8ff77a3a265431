using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Kitchen;

/// <summary>What an owner does with the kitchen's stations, through the gateway.</summary>
public static class KitchenFlow
{
    /// <summary>Creates a station routing the given categories and foods; returns its id.</summary>
    public static async Task<Guid> CreateStationAsync(HttpClient owner, Guid restaurantId, string name,
        Guid[]? categoryIds = null, Guid[]? foodIds = null, bool isDefault = false)
    {
        using var response = await owner.PostAsJsonAsync("/kitchen/stations",
            new { restaurant_id = restaurantId, name, is_default = isDefault, category_ids = categoryIds ?? [], food_ids = foodIds ?? [] });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
