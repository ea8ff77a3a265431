using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Restaurants;

[Collection(ApplicationCollection.Name)]
[Trait("Category", "Restaurants")]
public sealed class StaffTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task An_owner_adds_kitchen_staff_who_sign_in_bound_to_the_restaurant_and_removing_them_ends_their_session()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var email = AuthFlow.NewEmail();

        Guid staffId;
        using (var added = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email }))
        {
            await added.ShouldHaveStatusAsync(HttpStatusCode.Created);
            var member = await added.Content.ReadFromJsonAsync<JsonElement>();
            staffId = member.GetProperty("user_id").GetGuid();
            member.GetProperty("email").GetString().ShouldBe(email);
            member.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        }
        using (var again = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email = email.ToUpperInvariant() }))
        {
            await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user_id").GetGuid().ShouldBe(staffId);
        }

        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, email);
        login.UserId.ShouldBe(staffId);
        login.Role.ShouldBe("kitch");
        using var kitchen = fixture.App.CreateGatewayClient(login);
        var me = await kitchen.GetFromJsonAsync<JsonElement>("/auth/me");
        me.GetProperty("role").GetString().ShouldBe("kitch");
        me.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);

        var staff = await owner.Client.GetFromJsonAsync<JsonElement>($"/restaurants/{restaurantId}/staff");
        var listed = staff.EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("user_id").GetGuid().ShouldBe(staffId);
        listed.GetProperty("email").GetString().ShouldBe(email);
        listed.GetProperty("is_active").GetBoolean().ShouldBeTrue();

        // Kitchen staff manage nothing of the restaurant.
        using (var staffTries = await kitchen.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email = AuthFlow.NewEmail() }))
            await staffTries.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        using (var removed = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/staff/{staffId}"))
            await removed.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using (var ended = await kitchen.GetAsync("/auth/me"))
            await ended.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await owner.Client.GetFromJsonAsync<JsonElement>($"/restaurants/{restaurantId}/staff")).GetArrayLength().ShouldBe(0);
        using (var twice = await owner.Client.DeleteAsync($"/restaurants/{restaurantId}/staff/{staffId}"))
            await twice.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_requests_are_validated_and_accounts_of_other_kinds_or_restaurants_are_refused()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync();
        var staffPath = $"/restaurants/{restaurantId}/staff";

        foreach (var body in new object[] { new { }, new { email = "" }, new { email = "not an address" } })
        {
            using var invalid = await owner.Client.PostAsJsonAsync(staffPath, body);
            await invalid.ShouldNameFieldAsync("email");
        }

        using var gateway = fixture.CreateGatewayClient();
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using (var asCustomer = await owner.Client.PostAsJsonAsync(staffPath, new { email = customer.Email }))
            await asCustomer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "account_not_staff");
        using (var asOwner = await owner.Client.PostAsJsonAsync(staffPath, new { email = owner.Login.Email }))
            await asOwner.ShouldBeProblemAsync(HttpStatusCode.Conflict, "account_not_staff");

        using var other = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var otherRestaurant = await other.CreateRestaurantAsync();
        var poached = AuthFlow.NewEmail();
        using (var first = await other.Client.PostAsJsonAsync($"/restaurants/{otherRestaurant}/staff", new { email = poached }))
            await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using (var second = await owner.Client.PostAsJsonAsync(staffPath, new { email = poached }))
            await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "staff_of_another_restaurant");

        // Another restaurant's staff member cannot be removed through this one.
        var otherStaff = (await other.Client.GetFromJsonAsync<JsonElement>($"/restaurants/{otherRestaurant}/staff")).EnumerateArray().Single()
            .GetProperty("user_id").GetGuid();
        using (var wrongRestaurant = await owner.Client.DeleteAsync($"{staffPath}/{otherStaff}"))
            await wrongRestaurant.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await other.Client.GetFromJsonAsync<JsonElement>($"/restaurants/{otherRestaurant}/staff")).GetArrayLength().ShouldBe(1);
    }
}
