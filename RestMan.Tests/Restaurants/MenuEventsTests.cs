using System.Net;
using System.Net.Http.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class MenuEventsTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Each_menu_change_publishes_exactly_one_event_of_its_type_keyed_by_the_restaurant()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var path = $"/restaurants/{restaurantId}";

        var category = await owner.CreateCategoryAsync(restaurantId, "Noodles", displayOrder: 3);
        using (var renamed = await owner.Client.PutAsJsonAsync($"{path}/categories/{category}", new { name = "Noodle soups" }))
            await renamed.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var food = await owner.CreateFoodAsync(restaurantId, "Pho", 110.50m, category);
        using (var repriced = await owner.UpdateFoodAsync(restaurantId, food, new { price = 115m }))
            await repriced.ShouldHaveStatusAsync(HttpStatusCode.OK);

        // Refused, invalid and non-menu changes publish nothing.
        using (var refused = await owner.Client.DeleteAsync($"{path}/categories/{category}"))
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using (var invalid = await owner.UpdateFoodAsync(restaurantId, food, new { price = -1 }))
            await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using (var restaurantRenamed = await owner.Client.PutAsJsonAsync(path, new { name = "Pho 24" }))
            await restaurantRenamed.ShouldHaveStatusAsync(HttpStatusCode.OK);

        using (var deletedFood = await owner.Client.DeleteAsync($"{path}/foods/{food}"))
            await deletedFood.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using (var deletedCategory = await owner.Client.DeleteAsync($"{path}/categories/{category}"))
            await deletedCategory.ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        var events = await TopicReader.ReadAsync(fixture.App.GetConnectionString("kafka"), "menu.events",
            e => e.IsAbout("restaurant_id", restaurantId), expected: 6, timeout: TimeSpan.FromSeconds(30), settle: TimeSpan.FromSeconds(3));

        events.Select(e => e.EventType).ShouldBe(
        [
            "menu.category_created", "menu.category_updated", "menu.food_created",
            "menu.food_updated", "menu.food_deleted", "menu.category_deleted",
        ]);
        events.ShouldAllBe(e => e.Key == restaurantId.ToString());
        events.Select(e => e.EventId).Distinct().Count().ShouldBe(6);

        events[0].Data.GetProperty("category_id").GetGuid().ShouldBe(category);
        events[0].Data.GetProperty("name").GetString().ShouldBe("Noodles");
        events[0].Data.GetProperty("display_order").GetInt32().ShouldBe(3);
        events[1].Data.GetProperty("name").GetString().ShouldBe("Noodle soups");
        events[1].Data.GetProperty("display_order").GetInt32().ShouldBe(3);

        events[2].Data.GetProperty("food_id").GetGuid().ShouldBe(food);
        events[2].Data.GetProperty("category_id").GetGuid().ShouldBe(category);
        events[2].Data.GetProperty("category_name").GetString().ShouldBe("Noodle soups");
        events[2].Data.GetProperty("name").GetString().ShouldBe("Pho");
        events[2].Data.GetProperty("price").GetDecimal().ShouldBe(110.50m);
        events[2].Data.GetProperty("is_available").GetBoolean().ShouldBeTrue();
        events[3].Data.GetProperty("price").GetDecimal().ShouldBe(115m);
        events[3].Data.GetProperty("category_name").GetString().ShouldBe("Noodle soups");
        events[4].Data.GetProperty("food_id").GetGuid().ShouldBe(food);
        events[4].Data.GetProperty("name").GetString().ShouldBe("Pho");
        events[4].Data.GetProperty("is_available").GetBoolean().ShouldBeFalse();
        events[5].Data.GetProperty("category_id").GetGuid().ShouldBe(category);
        events[5].Data.GetProperty("name").GetString().ShouldBe("Noodle soups");
    }
}
