using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class MenuTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task An_owners_menu_is_served_grouped_in_display_order_from_the_cache_and_a_change_shows_on_the_next_read()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync("Da Mario");
        var pizzas = await owner.CreateCategoryAsync(restaurantId, "Pizzas", displayOrder: 2);
        var starters = await owner.CreateCategoryAsync(restaurantId, "Starters", displayOrder: 1);
        var margherita = await owner.CreateFoodAsync(restaurantId, "Margherita", 200m, pizzas);
        await owner.CreateFoodAsync(restaurantId, "Diavola", 250.50m, pizzas);
        await owner.CreateFoodAsync(restaurantId, "Olives", 80m, starters);
        var bruschetta = await owner.CreateFoodAsync(restaurantId, "Bruschetta", 120m, starters);
        await owner.CreateFoodAsync(restaurantId, "Lemonade", 60m);

        using var anonymous = fixture.CreateGatewayClient();
        var (menu, cache) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        cache.ShouldBe("MISS");
        menu.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        menu.GetProperty("restaurant_name").GetString().ShouldBe("Da Mario");
        var categories = menu.GetProperty("categories").EnumerateArray().ToList();
        categories.Select(c => c.GetProperty("name").GetString()).ShouldBe(["Starters", "Pizzas"]);
        categories.Select(c => c.GetProperty("id").GetGuid()).ShouldBe([starters, pizzas]);
        categories[0].GetProperty("foods").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldBe(["Bruschetta", "Olives"]);
        categories[1].GetProperty("foods").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldBe(["Diavola", "Margherita"]);
        menu.GetProperty("uncategorized").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldBe(["Lemonade"]);
        menu.Food(margherita).GetProperty("price").GetDecimal().ShouldBe(200m);
        menu.Food(bruschetta).GetProperty("description").GetString().ShouldBe("Bruschetta, made today");

        var (again, secondCache) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        secondCache.ShouldBe("HIT");
        again.ToString().ShouldBe(menu.ToString());

        using (var repriced = await owner.UpdateFoodAsync(restaurantId, margherita, new { price = 210.75m }))
        {
            await repriced.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var food = await repriced.Content.ReadFromJsonAsync<JsonElement>();
            food.GetProperty("price").GetDecimal().ShouldBe(210.75m);
            food.GetProperty("name").GetString().ShouldBe("Margherita");
            food.GetProperty("category_id").GetGuid().ShouldBe(pizzas);
        }
        var (afterChange, afterCache) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        afterCache.ShouldBe("MISS");
        afterChange.Food(margherita).GetProperty("price").GetDecimal().ShouldBe(210.75m);
        (await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId)).Cache.ShouldBe("HIT");

        // An unavailable food leaves the public menu; moving a food out of its category puts it with the uncategorized ones.
        using (var unavailable = await owner.UpdateFoodAsync(restaurantId, bruschetta, new { is_available = false }))
            await unavailable.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var moved = await owner.UpdateFoodAsync(restaurantId, margherita, new { category_id = (Guid?)null }))
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var (changed, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        changed.FoodNames().ShouldBe(["Olives", "Diavola", "Lemonade", "Margherita"]);
        changed.Food(margherita).GetProperty("price").GetDecimal().ShouldBe(210.75m);

        // Renaming or reordering a category shows at once too.
        using (var reordered = await owner.Client.PutAsJsonAsync($"/restaurants/{restaurantId}/categories/{pizzas}", new { name = "Pizze", display_order = 0 }))
            await reordered.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var (renamed, renamedCache) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        renamedCache.ShouldBe("MISS");
        renamed.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["Pizze", "Starters"]);
    }

    [Fact]
    public async Task A_read_after_a_change_returns_never_shows_the_old_menu_even_while_other_readers_refill_the_cache()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var food = await owner.CreateFoodAsync(restaurantId, "Espresso", 1m);

        // Readers straight at the service keep reloading and re-storing the menu while it changes.
        using var stop = new CancellationTokenSource();
        using var direct = fixture.App.CreateHttpClient("restaurants");
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                using (await direct.GetAsync($"/restaurants/{restaurantId}/menu", CancellationToken.None)) { }
        })).ToList();

        try
        {
            using var anonymous = fixture.CreateGatewayClient();
            for (var round = 2; round <= 21; round++)
            {
                using (var changed = await owner.UpdateFoodAsync(restaurantId, food, new { price = (decimal)round }))
                    await changed.ShouldHaveStatusAsync(HttpStatusCode.OK);
                var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
                menu.Food(food).GetProperty("price").GetDecimal().ShouldBe((decimal)round, $"round {round}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }

    [Fact]
    public async Task A_category_with_foods_cannot_be_deleted_and_a_deleted_food_leaves_the_menu_but_stays_known_to_orders()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var desserts = await owner.CreateCategoryAsync(restaurantId, "Desserts");
        var tiramisu = await owner.CreateFoodAsync(restaurantId, "Tiramisu", 95.50m, desserts);
        var cannoli = await owner.CreateFoodAsync(restaurantId, "Cannoli", 70m, desserts);

        using (var refused = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/categories/{desserts}"))
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "category_has_foods");
        // An unavailable food is still in the category: it is hidden, not gone.
        using (var hidden = await owner.UpdateFoodAsync(restaurantId, cannoli, new { is_available = false }))
            await hidden.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var stillRefused = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/categories/{desserts}"))
            await stillRefused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "category_has_foods");

        using (var deleted = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/foods/{tiramisu}"))
            await deleted.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using var anonymous = fixture.CreateGatewayClient();
        var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId);
        menu.FoodNames().ShouldBeEmpty();
        menu.GetProperty("categories").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Desserts");

        var unknown = Guid.NewGuid();
        using (var internalFoods = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, $"?ids={tiramisu},{unknown}"))
        {
            await internalFoods.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var food = (await internalFoods.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ShouldHaveSingleItem();
            food.GetProperty("id").GetGuid().ShouldBe(tiramisu);
            food.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
            food.GetProperty("name").GetString().ShouldBe("Tiramisu");
            food.GetProperty("price").GetDecimal().ShouldBe(95.50m);
            food.GetProperty("is_available").GetBoolean().ShouldBeFalse();
        }

        // Gone for the owner too: it cannot be changed or deleted again.
        using (var change = await owner.UpdateFoodAsync(restaurantId, tiramisu, new { price = 99m }))
            await change.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var again = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/foods/{tiramisu}"))
            await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using (var last = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/foods/{cannoli}"))
            await last.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using (var emptied = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/categories/{desserts}"))
            await emptied.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        (await RestaurantsFlow.ReadMenuAsync(anonymous, restaurantId)).Menu.GetProperty("categories").GetArrayLength().ShouldBe(0);
        using (var gone = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/categories/{desserts}"))
            await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var intoDeleted = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/foods", new { name = "Gelato", price = 50, category_id = desserts }))
            await intoDeleted.ShouldNameFieldAsync("category_id");
    }

    [Fact]
    public async Task Internal_foods_answers_only_other_services_is_bounded_and_is_not_exposed_by_the_gateway()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var pasta = await owner.CreateFoodAsync(restaurantId, "Carbonara", 145.25m);
        var soup = await owner.CreateFoodAsync(restaurantId, "Minestrone", 90m);

        using (var found = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, $"?ids={pasta}, {soup},{pasta}"))
        {
            await found.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var foods = (await found.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToDictionary(f => f.GetProperty("id").GetGuid());
            foods.Keys.OrderBy(k => k).ShouldBe(new[] { pasta, soup }.OrderBy(k => k));
            foods[pasta].GetProperty("price").GetDecimal().ShouldBe(145.25m);
            foods[pasta].GetProperty("is_available").GetBoolean().ShouldBeTrue();
            foods[pasta].GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        }

        var hundred = string.Join(",", Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()));
        using (var atLimit = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, $"?ids={hundred}"))
        {
            await atLimit.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await atLimit.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength().ShouldBe(0);
        }
        using (var overLimit = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, $"?ids={hundred},{Guid.NewGuid()}"))
            await overLimit.ShouldNameFieldAsync("ids");
        using (var badId = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, $"?ids={pasta},not-a-guid"))
            await badId.ShouldNameFieldAsync("ids");
        using (var none = await RestaurantsFlow.GetInternalFoodsAsync(fixture.App, ""))
            await none.ShouldNameFieldAsync("ids");

        using var gateway = fixture.App.CreateGatewayClient(owner.Login);
        foreach (var path in new[] { $"/internal/foods?ids={pasta}", $"/api/internal/foods?ids={pasta}" })
        {
            using var throughGateway = await gateway.GetAsync(path);
            await throughGateway.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using var restaurants = fixture.App.CreateHttpClient("restaurants");
        using (var anonymous = await restaurants.GetAsync($"/internal/foods?ids={pasta}"))
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        // The owner's own identity, correctly signed, is still not a service's.
        using var asOwner = new HttpRequestMessage(HttpMethod.Get, $"/internal/foods?ids={pasta}")
            .SignedAs(fixture.App, new Microsoft.Extensions.Hosting.ForwardedIdentity(owner.UserId, "rest", null, DateTimeOffset.UtcNow.AddHours(1)));
        using (var forbidden = await restaurants.SendAsync(asOwner))
            await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
