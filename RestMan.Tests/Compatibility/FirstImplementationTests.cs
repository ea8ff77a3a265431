using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Compatibility;

/// <summary>
/// A client of the first (Rust) implementation, pointed at our gateway: its paths (all under <c>/api</c>), its field
/// names (<c>otp</c>, <c>session_token</c>, <c>restaurant_id</c> in the body) and its headers, which must change nothing.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Compatibility")]
public sealed class FirstImplementationTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task The_first_implementations_documented_journey_works_unchanged_through_the_gateway()
    {
        using var anonymous = fixture.CreateGatewayClient();
        foreach (var service in new[] { "auth", "restaurants", "orders", "kitchen", "billing", "analytics" })
            (await anonymous.GetOkAsync($"/api/{service}/health")).Text("status").ShouldBe("Healthy", $"/api/{service}/health");
        (await anonymous.GetOkAsync("/api/health")).Text("status").ShouldBe("Healthy");

        // Authenticate: request an OTP as a restaurant owner, verify it with `otp`, use `session_token`.
        var ownerToken = await SignInAsync(anonymous, AuthFlow.NewEmail(), "rest");
        using var owner = fixture.CreateGatewayClient().WithBearer(ownerToken);
        var me = await owner.GetOkAsync("/api/auth/me");
        me.Text("role").ShouldBe("rest");

        // Restaurant, category and food, the restaurant named in the body.
        var restaurant = await PostOkAsync(owner, "/api/restaurants", new { name = $"Rust Grill {Guid.NewGuid():N}", address = "8 Cargo Street", phone = "+1 555 0100" });
        var restaurantId = restaurant.GetProperty("id").GetGuid();
        (await owner.GetOkAsync("/api/restaurants/my")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldContain(restaurantId);
        var category = await PostOkAsync(owner, "/api/categories", new { restaurant_id = restaurantId, name = "Mains", description = "Hot food" });
        category.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        var food = await PostOkAsync(owner, "/api/foods", new
        {
            restaurant_id = restaurantId, category_id = category.GetProperty("id").GetGuid(), name = "Ferris Burger", price = 11.00m,
        });
        food.GetProperty("restaurant_id").GetGuid().ShouldBe(restaurantId);
        var foodId = food.GetProperty("id").GetGuid();

        // A customer orders.
        var customerToken = await SignInAsync(anonymous, AuthFlow.NewEmail(), role: null);
        using var customer = fixture.CreateGatewayClient().WithBearer(customerToken);
        var customerId = (await customer.GetOkAsync("/api/auth/me")).GetProperty("user_id").GetGuid();
        var order = await PostOkAsync(customer, "/api/orders", new
        {
            restaurant_id = restaurantId, order_type = "dine_in", items = new[] { new { food_id = foodId, quantity = 2 } },
        });
        var orderId = order.GetProperty("id").GetGuid();
        order.Money("total_price").ShouldBe(22.00m);

        // The kitchen works the ticket to DELIVERED_TO_SERVICE.
        var kitchenEmail = AuthFlow.NewEmail();
        (await PostOkAsync(owner, $"/api/restaurants/{restaurantId}/staff", new { email = kitchenEmail })).Text("email").ShouldBe(kitchenEmail);
        using var kitchen = fixture.CreateGatewayClient().WithBearer(await SignInAsync(anonymous, kitchenEmail, role: null));
        var ticket = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var page = await kitchen.GetOkAsync($"/api/kitchen/tickets?order_id={orderId}");
            return page.GetProperty("items").EnumerateArray().Select(t => (JsonElement?)t).FirstOrDefault();
        }, OrderingFlow.EventDeadline, "the kitchen ticket");
        foreach (var status in new[] { "ACCEPTED", "IN_PROGRESS", "READY", "DELIVERED_TO_SERVICE" })
        {
            using var moved = await kitchen.CallAsync(HttpMethod.Patch, $"/api/kitchen/tickets/{ticket.GetProperty("id").GetGuid()}/status", new { status });
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }
        await customer.WaitForAsync($"/api/orders/{orderId}", "status", "COMPLETED");

        // The bill by order, settled by the owner, then by user and by restaurant.
        var bill = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            using var response = await customer.GetAsync($"/api/billing/bills/order/{orderId}");
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }, OrderingFlow.EventDeadline, "the bill");
        bill.Money("subtotal").ShouldBe(22.00m);
        bill.Money("tax_amount").ShouldBe(2.20m);
        bill.Money("total_amount").ShouldBe(24.20m);
        var paid = await PostOkAsync(owner, $"/api/billing/orders/{orderId}/finalize", new { payment_method = "card" }, HttpStatusCode.OK);
        paid.Text("status").ShouldBe("PAID");

        var billId = bill.GetProperty("id").GetGuid();
        var customersBills = await customer.GetOkAsync($"/api/billing/users/{customerId}");
        customersBills.EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == billId).Text("status").ShouldBe("PAID");
        (await owner.GetOkAsync($"/api/billing/users/{customerId}")).EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ShouldBe([billId]);
        (await owner.GetOkAsync($"/api/billing/restaurants/{restaurantId}")).EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ShouldBe([billId]);

        // Analytics: the restaurant's top foods.
        var top = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await owner.GetOkAsync($"/api/analytics/restaurants/{restaurantId}/top-foods");
            return rows.GetArrayLength() > 0 ? rows[0] : null;
        }, TimeSpan.FromSeconds(20), "the restaurant's top foods");
        top.GetProperty("food_id").GetGuid().ShouldBe(foodId);
        top.GetProperty("total_quantity").GetInt64().ShouldBe(2);

        // Logout with the token in the body only; the session ends at once.
        using (var loggedOut = await anonymous.PostAsJsonAsync("/api/auth/logout", new { session_token = customerToken }))
            await loggedOut.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using var after = await customer.GetAsync("/api/auth/me");
        await after.ShouldHaveStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task X_User_Id_and_X_Owner_Id_sent_by_a_client_change_nothing()
    {
        using var place = await Restaurant.OpenAsync(fixture);
        var victimOrder = await place.Customer.PlaceOrderOkAsync(place.UsualOrder());
        var victimOrderId = victimOrder.GetProperty("id").GetGuid();
        await place.Customer.Client.WaitForBillAsync(victimOrderId);
        using var intruder = await OrderingFlow.SignInAsync(fixture);
        var otherOwner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        using var _ = otherOwner;

        // The same requests, plain and with the first implementation's identity headers naming the victim: same answers.
        async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, object? body, bool spoof)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body);
            if (spoof)
            {
                request.Headers.Add("X-User-Id", place.Customer.UserId.ToString());
                request.Headers.Add("X-Owner-Id", place.Owner.UserId.ToString());
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        var probes = new (HttpClient Client, HttpMethod Method, string Path, object? Body)[]
        {
            (intruder.Client, HttpMethod.Get, $"/api/orders/{victimOrderId}", null),
            (intruder.Client, HttpMethod.Get, $"/api/billing/bills/order/{victimOrderId}", null),
            (intruder.Client, HttpMethod.Get, $"/api/billing/users/{place.Customer.UserId}", null),
            (otherOwner.Client, HttpMethod.Get, $"/api/billing/restaurants/{place.Id}", null),
            (otherOwner.Client, HttpMethod.Post, "/api/categories", new { restaurant_id = place.Id, name = "Hijacked" }),
            (otherOwner.Client, HttpMethod.Post, "/api/foods", new { restaurant_id = place.Id, name = "Hijacked", price = 1m }),
        };
        foreach (var (client, method, path, body) in probes)
        {
            var plain = await StatusAsync(client, method, path, body, spoof: false);
            var spoofed = await StatusAsync(client, method, path, body, spoof: true);
            spoofed.ShouldBe(plain, $"{method} {path}");
            ((int)spoofed).ShouldBeInRange(400, 499, $"{method} {path}");
        }

        // Who the caller is, and whose order it places, still comes from the session alone.
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Add("X-User-Id", place.Customer.UserId.ToString());
        using var meResponse = await intruder.Client.SendAsync(me);
        (await meResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user_id").GetGuid().ShouldBe(intruder.UserId);

        using var order = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(place.UsualOrder()) };
        order.Headers.Add("X-User-Id", place.Customer.UserId.ToString());
        using var placed = await intruder.Client.SendAsync(order);
        await placed.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user_id").GetGuid().ShouldBe(intruder.UserId);
    }

    /// <summary>The first implementation's sign-in: verify with <c>otp</c>, keep <c>session_token</c> (the same as <c>token</c>).</summary>
    private static async Task<string> SignInAsync(HttpClient gateway, string email, string? role)
    {
        using (var requested = await gateway.PostAsJsonAsync("/api/auth/request-otp", role is null ? new { email } : (object)new { email, role }))
            await requested.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var code = await AuthFlow.ReadCodeAsync(gateway, email);
        using var verified = await gateway.PostAsJsonAsync("/api/auth/verify-otp", new { email, otp = code });
        await verified.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var login = await verified.Content.ReadFromJsonAsync<JsonElement>();
        login.Text("session_token").ShouldBe(login.Text("token"));
        return login.Text("session_token");
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        await response.ShouldHaveStatusAsync(expected);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
