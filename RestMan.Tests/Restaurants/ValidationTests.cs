using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

/// <summary>Every bad input is a problem+json naming its field (or 404 for what does not exist), never a 500.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class ValidationTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Invalid_restaurants_categories_and_foods_are_400s_naming_the_field()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var category = await owner.CreateCategoryAsync(restaurantId, "Soups");
        var food = await owner.CreateFoodAsync(restaurantId, "Ramen", 150m, category);
        using var other = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var otherRestaurant = await other.CreateRestaurantAsync();
        var otherCategory = await other.CreateCategoryAsync(otherRestaurant, "Not yours");

        var restaurants = "/restaurants";
        var categories = $"/restaurants/{restaurantId}/categories";
        var foods = $"/restaurants/{restaurantId}/foods";
        var cases = new (HttpMethod Method, string Path, string Json, string Field)[]
        {
            (HttpMethod.Post, restaurants, """{"name":""}""", "name"),
            (HttpMethod.Post, restaurants, """{"name":"   "}""", "name"),
            (HttpMethod.Post, restaurants, "{}", "name"),
            (HttpMethod.Post, restaurants, $$"""{"name":"{{new string('x', 256)}}"}""", "name"),
            (HttpMethod.Post, restaurants, """{"name":"Ok","phone":"call me"}""", "phone"),
            (HttpMethod.Post, restaurants, """{"name":42}""", "name"),
            (HttpMethod.Put, $"/restaurants/{restaurantId}", """{"name":""}""", "name"),
            (HttpMethod.Put, $"/restaurants/{restaurantId}", """{"is_active":"yes"}""", "is_active"),
            (HttpMethod.Put, $"/restaurants/{restaurantId}", "{}", "body"),
            (HttpMethod.Post, categories, """{"name":""}""", "name"),
            (HttpMethod.Post, categories, """{"name":"Ok","display_order":-1}""", "display_order"),
            (HttpMethod.Post, categories, """{"name":"Ok","display_order":1.5}""", "display_order"),
            (HttpMethod.Put, $"{categories}/{category}", """{"name":""}""", "name"),
            (HttpMethod.Post, foods, """{"name":"","price":10}""", "name"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":-5}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":0}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":1.005}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":10000000000}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":1000000.01}""", "price"),
            (HttpMethod.Put, $"{foods}/{food}", """{"price":1000000.01}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok"}""", "price"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":"cheap"}""", "price"),
            (HttpMethod.Post, foods, $$"""{"name":"Ok","price":10,"category_id":"{{otherCategory}}"}""", "category_id"),
            (HttpMethod.Post, foods, $$"""{"name":"Ok","price":10,"category_id":"{{Guid.NewGuid()}}"}""", "category_id"),
            (HttpMethod.Post, foods, """{"name":"Ok","price":10,"category_id":"soups"}""", "category_id"),
            (HttpMethod.Put, $"{foods}/{food}", """{"price":-1}""", "price"),
            (HttpMethod.Put, $"{foods}/{food}", """{"price":12.345}""", "price"),
            (HttpMethod.Put, $"{foods}/{food}", $$"""{"category_id":"{{otherCategory}}"}""", "category_id"),
            (HttpMethod.Put, $"{foods}/{food}", """{"category_id":7}""", "category_id"),
            (HttpMethod.Put, $"{foods}/{food}", "{}", "body"),
        };
        foreach (var (method, path, json, field) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            using var response = await owner.Client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            await response.ShouldNameFieldAsync(field);
        }

        using (var notJson = await owner.Client.PostAsync(foods, new StringContent("{name:", Encoding.UTF8, "application/json")))
            await notJson.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using (var nameAtLimit = await owner.Client.PostAsJsonAsync(foods, new { name = new string('y', 255), price = 0.01m }))
            await nameAtLimit.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using (var priceAtLimit = await owner.Client.PostAsJsonAsync(foods, new { name = "Caviar", price = 1_000_000.00m }))
            await priceAtLimit.ShouldHaveStatusAsync(HttpStatusCode.Created);

        // Nothing invalid reached the menu, and the food kept its values.
        using var anonymous = fixture.CreateGatewayClient();
        var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        menu.Food(food).GetProperty("price").GetDecimal().ShouldBe(150m);
        menu.GetProperty("categories").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Soups");
    }

    [Fact]
    public async Task Unknown_restaurants_categories_and_foods_are_404s()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var unknown = Guid.NewGuid();

        using var anonymous = fixture.CreateGatewayClient();
        foreach (var path in new[] { $"/restaurants/{unknown}", $"/restaurants/{unknown}/menu", "/restaurants/not-an-id", "/restaurants/not-an-id/menu" })
        {
            using var response = await anonymous.GetAsync(path);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        var writes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Put, $"/restaurants/{unknown}", new { name = "Ghost" }),
            (HttpMethod.Post, $"/restaurants/{unknown}/categories", new { name = "Ghost" }),
            (HttpMethod.Post, $"/restaurants/{unknown}/foods", new { name = "Ghost", price = 1 }),
            (HttpMethod.Post, $"/restaurants/{unknown}/staff", new { email = AuthFlow.NewEmail() }),
            (HttpMethod.Put, $"/restaurants/{restaurantId}/categories/{unknown}", new { name = "Ghost" }),
            (HttpMethod.Delete, $"/restaurants/{restaurantId}/categories/{unknown}", null),
            (HttpMethod.Put, $"/restaurants/{restaurantId}/foods/{unknown}", new { price = 1 }),
            (HttpMethod.Delete, $"/restaurants/{restaurantId}/foods/{unknown}", null),
        };
        foreach (var (method, path, body) in writes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await owner.Client.SendAsync(request);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Bad_list_parameters_are_400s_naming_the_parameter()
    {
        using var anonymous = fixture.CreateGatewayClient();
        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"), ("mine=perhaps", "mine") })
        {
            using var response = await anonymous.GetAsync($"/restaurants?{query}");
            await response.ShouldNameFieldAsync(field);
        }
        var page = await anonymous.GetFromJsonAsync<JsonElement>("/restaurants?limit=1");
        page.GetArrayLength().ShouldBeLessThanOrEqualTo(1);
    }
}
