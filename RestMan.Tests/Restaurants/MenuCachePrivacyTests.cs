using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Restaurants;

/// <summary>
/// The gateway answers the public menu from its memory for signed-in callers too; nothing that depends on who asks
/// (an order, a closed restaurant its owner still sees) is ever kept there or served to someone else.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class MenuCachePrivacyTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task Two_customers_share_the_cached_menu_but_each_sees_only_their_own_orders()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture);
        using var ada = await OrderingFlow.SignInAsync(fixture);
        using var bob = await OrderingFlow.SignInAsync(fixture);

        var (adaMenu, _) = await RestaurantsFlow.ReadMenuAsync(ada.Client, restaurant.Id);
        var (bobMenu, bobCache) = await RestaurantsFlow.ReadMenuAsync(bob.Client, restaurant.Id);
        bobCache.ShouldBe("HIT"); // Ada's read filled the gateway's cache, Bob's came from it
        bobMenu.ToString().ShouldBe(adaMenu.ToString());
        using var anonymous = fixture.CreateGatewayClient();
        (await RestaurantsFlow.ReadMenuAsync(anonymous, restaurant.Id)).Cache.ShouldBe("HIT");

        var adaOrder = await ada.PlaceOrderOkAsync(restaurant.UsualOrder());
        var bobOrder = await bob.PlaceOrderOkAsync(new
        {
            restaurant_id = restaurant.Id,
            order_type = "takeaway",
            items = new object[] { new { food_id = restaurant.B.Id, quantity = 3 } },
        });

        foreach (var (person, own, other) in new[] { (ada, adaOrder, bobOrder), (bob, bobOrder, adaOrder) })
        {
            for (var read = 0; read < 2; read++)
            {
                using var list = await person.Client.GetAsync("/orders");
                await list.ShouldHaveStatusAsync(HttpStatusCode.OK);
                list.Headers.Contains("X-Cache").ShouldBeFalse();
                var orders = await list.Content.ReadFromJsonAsync<JsonElement>();
                orders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ShouldBe([own.GetProperty("id").GetGuid()]);

                using var mine = await person.Client.GetAsync($"/orders/{own.GetProperty("id").GetGuid()}");
                await mine.ShouldHaveStatusAsync(HttpStatusCode.OK);
                (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total_price").GetDecimal()
                    .ShouldBe(own.GetProperty("total_price").GetDecimal());
                using var theirs = await person.Client.GetAsync($"/orders/{other.GetProperty("id").GetGuid()}");
                await theirs.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            }
        }

        // Who Ada is is not cached either: each token is answered as its own person.
        (await ada.Client.GetFromJsonAsync<JsonElement>("/auth/me")).GetProperty("user_id").GetGuid().ShouldBe(ada.UserId);
        (await bob.Client.GetFromJsonAsync<JsonElement>("/auth/me")).GetProperty("user_id").GetGuid().ShouldBe(bob.UserId);
    }

    [Fact]
    public async Task A_closed_restaurants_menu_its_owner_reads_is_never_served_to_anyone_else()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture);
        using (var closed = await restaurant.Owner.Client.PutAsJsonAsync($"/restaurants/{restaurant.Id}", new { is_active = false }))
            await closed.ShouldHaveStatusAsync(HttpStatusCode.OK);

        for (var read = 0; read < 3; read++)
        {
            using var ownersView = await restaurant.Owner.Client.GetAsync($"/restaurants/{restaurant.Id}/menu");
            await ownersView.ShouldHaveStatusAsync(HttpStatusCode.OK);
            ownersView.Headers.CacheControl!.Private.ShouldBeTrue();
        }

        using var anonymous = fixture.CreateGatewayClient();
        using (var hidden = await anonymous.GetAsync($"/restaurants/{restaurant.Id}/menu"))
            await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var hiddenFromCustomer = await restaurant.Customer.Client.GetAsync($"/restaurants/{restaurant.Id}/menu"))
            await hiddenFromCustomer.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
