using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

/// <summary>
/// Ownership is checked in the service: another owner gets 403 for a restaurant the public can see (hiding it would
/// protect nothing) and 404 for one only its owner can see (an inactive one).
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class OwnershipTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Another_owner_cannot_change_the_restaurant_its_categories_foods_or_staff()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync("Chez Anne");
        var category = await owner.CreateCategoryAsync(restaurantId, "Mains");
        var food = await owner.CreateFoodAsync(restaurantId, "Steak frites", 320m, category);

        using var other = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Put, $"/restaurants/{restaurantId}", new { name = "Mine now" }),
            (HttpMethod.Post, $"/restaurants/{restaurantId}/categories", new { name = "Intruders" }),
            (HttpMethod.Put, $"/restaurants/{restaurantId}/categories/{category}", new { name = "Renamed" }),
            (HttpMethod.Delete, $"/restaurants/{restaurantId}/categories/{category}", null),
            (HttpMethod.Post, $"/restaurants/{restaurantId}/foods", new { name = "Free lunch", price = 1 }),
            (HttpMethod.Put, $"/restaurants/{restaurantId}/foods/{food}", new { price = 0.01m }),
            (HttpMethod.Delete, $"/restaurants/{restaurantId}/foods/{food}", null),
            (HttpMethod.Post, $"/restaurants/{restaurantId}/staff", new { email = AuthFlow.NewEmail() }),
            (HttpMethod.Get, $"/restaurants/{restaurantId}/staff", null),
            (HttpMethod.Delete, $"/restaurants/{restaurantId}/staff/{owner.UserId}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await other.Client.SendAsync(request);
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        // Through their own restaurant, the first owner's category and food are simply not there.
        var ownRestaurant = await other.CreateRestaurantAsync();
        using (var foreignCategory = await other.Client.PutAsJsonAsync($"/restaurants/{ownRestaurant}/categories/{category}", new { name = "Renamed" }))
            await foreignCategory.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var foreignFood = await other.UpdateFoodAsync(ownRestaurant, food, new { price = 0.01m }))
            await foreignFood.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var deleteForeignFood = await other.Client.DeleteAsync($"/restaurants/{ownRestaurant}/foods/{food}"))
            await deleteForeignFood.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var anonymous = fixture.CreateGatewayClient();
        var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        menu.GetProperty("restaurant_name").GetString().ShouldBe("Chez Anne");
        menu.GetProperty("categories").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Mains");
        menu.Food(food).GetProperty("price").GetDecimal().ShouldBe(320m);

        // Deactivated, the restaurant is its owner's alone: everyone else is told it does not exist.
        using (var deactivated = await owner.Client.PutAsJsonAsync($"/restaurants/{restaurantId}", new { is_active = false }))
            await deactivated.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var hidden = await other.Client.PutAsJsonAsync($"/restaurants/{restaurantId}", new { name = "Mine now" }))
            await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var hiddenFood = await other.UpdateFoodAsync(restaurantId, food, new { price = 0.01m }))
            await hiddenFood.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_customer_cannot_create_a_restaurant_and_an_anonymous_caller_must_sign_in()
    {
        using var gateway = fixture.CreateGatewayClient();
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using var asCustomer = fixture.App.CreateGatewayClient(customer);
        using (var refused = await asCustomer.PostAsJsonAsync("/restaurants", new { name = "Pop-up" }))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            refused.Headers.GetValues("X-Served-By").ShouldBe(["gateway"]);
        }
        using (var anonymous = await gateway.PostAsJsonAsync("/restaurants", new { name = "Pop-up" }))
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // The service refuses a customer on its own too, should anything reach it with a customer's signed identity.
        using var restaurants = fixture.App.CreateHttpClient("restaurants");
        using var direct = new HttpRequestMessage(HttpMethod.Post, "/restaurants") { Content = JsonContent.Create(new { name = "Pop-up" }) };
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(customer.UserId, "user", null, DateTimeOffset.UtcNow.AddHours(1)),
                     "POST", "/restaurants", Convert.FromBase64String(fixture.App.IdentitySigningKey), DateTimeOffset.UtcNow))
            direct.Headers.TryAddWithoutValidation(name, value);
        using (var serviceRefused = await restaurants.SendAsync(direct))
        {
            await serviceRefused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            serviceRefused.Headers.GetValues("X-Served-By").ShouldBe(["restaurants"]);
        }
    }

    [Fact]
    public async Task The_public_sees_active_restaurants_and_an_owner_lists_all_of_their_own()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var open = await owner.CreateRestaurantAsync();
        var closed = await owner.CreateRestaurantAsync();
        await owner.CreateFoodAsync(closed, "Last supper", 10m);
        using (var deactivated = await owner.Client.PutAsJsonAsync($"/restaurants/{closed}", new { is_active = false }))
        {
            await deactivated.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await deactivated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("is_active").GetBoolean().ShouldBeFalse();
        }

        using var anonymous = fixture.CreateGatewayClient();
        var listed = await ListAllAsync(anonymous);
        listed.ShouldContain(open);
        listed.ShouldNotContain(closed);
        using (var hidden = await anonymous.GetAsync($"/restaurants/{closed}"))
            await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var hiddenMenu = await anonymous.GetAsync($"/restaurants/{closed}/menu"))
            await hiddenMenu.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var shown = await anonymous.GetAsync($"/restaurants/{open}"))
        {
            await shown.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var restaurant = await shown.Content.ReadFromJsonAsync<JsonElement>();
            restaurant.GetProperty("address").GetString().ShouldBe("1 Via Roma");
            restaurant.GetProperty("phone").GetString().ShouldBe("+39 06 1234");
            restaurant.TryGetProperty("owner_user_id", out _).ShouldBeFalse();
        }

        var mine = await owner.Client.GetFromJsonAsync<JsonElement>("/restaurants?mine=true");
        mine.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).OrderBy(id => id).ShouldBe(new[] { open, closed }.OrderBy(id => id));
        (await owner.Client.GetFromJsonAsync<JsonElement>($"/restaurants/{closed}")).GetProperty("is_active").GetBoolean().ShouldBeFalse();
        (await RestaurantsFlow.ReadMenuAsync(owner.Client, closed)).Menu.FoodNames().ShouldBe(["Last supper"]);

        using (var anonymousMine = await anonymous.GetAsync("/restaurants?mine=true"))
            await anonymousMine.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var customer = await AuthFlow.LoginAsync(anonymous, AuthFlow.NewEmail());
        using var asCustomer = fixture.App.CreateGatewayClient(customer);
        using (var customerMine = await asCustomer.GetAsync("/restaurants?mine=true"))
            await customerMine.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Reopened, it is public again, menu included.
        using (var reopened = await owner.Client.PutAsJsonAsync($"/restaurants/{closed}", new { is_active = true }))
            await reopened.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await RestaurantsFlow.ReadMenuAsync(anonymous, closed)).Menu.FoodNames().ShouldBe(["Last supper"]);
    }

    private static async Task<List<Guid>> ListAllAsync(HttpClient client)
    {
        var ids = new List<Guid>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/restaurants?limit=100&offset={offset}");
            ids.AddRange(page.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
            if (page.GetArrayLength() < 100) return ids;
        }
    }
}
