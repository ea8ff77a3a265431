using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

/// <summary>An owner signed in through the gateway, with a client that carries their token.</summary>
public sealed record SignedInOwner(LoginResult Login, HttpClient Client) : IDisposable
{
    public Guid UserId => Login.UserId;
    public void Dispose() => Client.Dispose();
}

/// <summary>What an owner does to build a menu, through the gateway, as a client would.</summary>
public static class RestaurantsFlow
{
    public static async Task<SignedInOwner> SignInOwnerAsync(ApplicationFixture fixture)
    {
        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role: "rest");
        return new SignedInOwner(login, fixture.App.CreateGatewayClient(login));
    }

    public static async Task<Guid> CreateRestaurantAsync(this SignedInOwner owner, string? name = null)
    {
        using var response = await owner.Client.PostAsJsonAsync("/restaurants", new { name = name ?? $"Trattoria {Guid.NewGuid():N}", address = "1 Via Roma", phone = "+39 06 1234" });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> CreateCategoryAsync(this SignedInOwner owner, Guid restaurantId, string name, int? displayOrder = null)
    {
        using var response = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/categories",
            displayOrder is null ? new { name } : (object)new { name, display_order = displayOrder });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> CreateFoodAsync(this SignedInOwner owner, Guid restaurantId, string name, decimal price, Guid? categoryId = null)
    {
        using var response = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/foods",
            new { name, price, category_id = categoryId, description = $"{name}, made today" });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> UpdateFoodAsync(this SignedInOwner owner, Guid restaurantId, Guid foodId, object changes)
    {
        var response = await owner.Client.PutAsJsonAsync($"/restaurants/{restaurantId}/foods/{foodId}", changes);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The public menu and its X-Cache header.</summary>
    public static async Task<(JsonElement Menu, string Cache)> ReadMenuAsync(HttpClient client, Guid restaurantId)
    {
        using var response = await client.GetAsync($"/restaurants/{restaurantId}/menu");
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var cache = response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : "(none)";
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), cache);
    }

    /// <summary>Every food name on the menu, categorised ones first, in menu order.</summary>
    public static IReadOnlyList<string> FoodNames(this JsonElement menu) =>
        menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("foods").EnumerateArray())
            .Concat(menu.GetProperty("uncategorized").EnumerateArray())
            .Select(f => f.GetProperty("name").GetString()!)
            .ToList();

    public static JsonElement Food(this JsonElement menu, Guid foodId) =>
        menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("foods").EnumerateArray())
            .Concat(menu.GetProperty("uncategorized").EnumerateArray())
            .Single(f => f.GetProperty("id").GetGuid() == foodId);

    /// <summary>Calls the restaurants service directly, signed as another RestMan service (the way Orders calls it).</summary>
    public static async Task<HttpResponseMessage> GetInternalFoodsAsync(TestGraph app, string query)
    {
        using var restaurants = app.CreateHttpClient("restaurants");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/foods" + query).SignedAsService(app);
        var response = await restaurants.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Asserts a 400 problem+json whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task ShouldNameFieldAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var body = problem.ToString();
        problem.TryGetProperty("errors", out var errors).ShouldBeTrue(body);
        errors.TryGetProperty(field, out _).ShouldBeTrue($"expected errors to name '{field}': {body}");
    }
}
