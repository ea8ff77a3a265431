using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Identity;

[Trait("Category", "Identity")]
[Collection(ApplicationCollection.Name)]
public sealed class GatewaySecurityTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_service_called_directly_with_forged_identity_answers_401()
    {
        using var orders = fixture.App.CreateHttpClient("orders");

        // Headers with a made-up signature.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/orders");
        forged.Headers.Add(IdentityHeaders.UserId, Guid.NewGuid().ToString());
        forged.Headers.Add(IdentityHeaders.Role, "rest");
        forged.Headers.Add(IdentityHeaders.Timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
        forged.Headers.Add(IdentityHeaders.Signature, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        (await orders.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Correctly shaped headers signed with a key that is not the AppHost's.
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/orders");
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(Guid.NewGuid(), "rest", null, null),
                     "GET", "/orders", RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow))
            wrongKey.Headers.Add(name, value);
        (await orders.SendAsync(wrongKey)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // A genuine signature replayed onto another path is tampered identity too.
        var key = Convert.FromBase64String(fixture.App.IdentitySigningKey);
        using var replayed = new HttpRequestMessage(HttpMethod.Get, "/orders/other");
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(Guid.NewGuid(), "rest", null, null),
                     "GET", "/orders", key, DateTimeOffset.UtcNow))
            replayed.Headers.Add(name, value);
        var response = await orders.SendAsync(replayed);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

        // ... or onto another query of the same path.
        using var requeried = new HttpRequestMessage(HttpMethod.Get, "/orders?status=READY");
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(Guid.NewGuid(), "rest", null, null),
                     "GET", "/orders?status=PLACED", key, DateTimeOffset.UtcNow))
            requeried.Headers.Add(name, value);
        (await orders.SendAsync(requeried)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // And a stale one.
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/orders");
        foreach (var (name, value) in IdentityHeaders.Sign(new ForwardedIdentity(Guid.NewGuid(), "rest", null, null),
                     "GET", "/orders", key, DateTimeOffset.UtcNow.AddMinutes(-5)))
            stale.Headers.Add(name, value);
        (await orders.SendAsync(stale)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Through_the_gateway_client_supplied_identity_headers_are_ignored()
    {
        using var gateway = fixture.CreateGatewayClient();
        var key = Convert.FromBase64String(fixture.App.IdentitySigningKey);
        var identity = new ForwardedIdentity(Guid.NewGuid(), "rest", null, null);

        // Even a correctly signed identity (as if the key had leaked) grants nothing without a session.
        using var me = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        foreach (var (name, value) in IdentityHeaders.Sign(identity, "GET", "/auth/me", key, DateTimeOffset.UtcNow))
            me.Headers.Add(name, value);
        var meResponse = await gateway.SendAsync(me);
        meResponse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        meResponse.Headers.GetValues("X-Served-By").ShouldBe(["gateway"]);

        // On a public route the forged headers are dropped, so the service answers normally instead of rejecting them.
        using var publicRoute = new HttpRequestMessage(HttpMethod.Get, $"/restaurants/{Guid.NewGuid()}");
        publicRoute.Headers.Add(IdentityHeaders.UserId, Guid.NewGuid().ToString());
        publicRoute.Headers.Add(IdentityHeaders.Role, "rest");
        publicRoute.Headers.Add(IdentityHeaders.Signature, "forged");
        var publicResponse = await gateway.SendAsync(publicRoute);
        publicResponse.Headers.GetValues("X-Served-By").ShouldBe(["restaurants"]);
        publicResponse.StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Protected_routes_need_a_token_and_an_unknown_token_is_rejected()
    {
        using var gateway = fixture.CreateGatewayClient();
        foreach (var (method, path) in new[]
        {
            ("POST", "/restaurants"), ("GET", "/orders"), ("POST", "/orders"), ("GET", "/kitchen/tickets"),
            ("GET", "/analytics/revenue"), ("GET", "/auth/me"), ("POST", "/api/restaurants"),
        })
        {
            var response = await gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }

        using var bogus = new HttpRequestMessage(HttpMethod.Get, "/restaurants");
        bogus.Headers.Authorization = new("Bearer", "not-a-real-token");
        (await gateway.SendAsync(bogus)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_customer_token_is_refused_where_another_role_is_required()
    {
        using var gateway = fixture.CreateGatewayClient();
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        gateway.WithBearer(customer);

        foreach (var (method, path) in new[]
        {
            ("POST", "/restaurants"), ("POST", "/api/restaurants"), ("GET", "/kitchen/tickets"), ("GET", "/analytics/revenue"),
        })
        {
            var response = await gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            response.Headers.GetValues("X-Served-By").ShouldBe(["gateway"], customMessage: $"{method} {path}");
        }

        // The same token still works where its role is allowed.
        (await gateway.GetAsync("/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reservation_routes_follow_the_role_table()
    {
        using var gateway = fixture.CreateGatewayClient();
        var someone = Guid.NewGuid();

        // Availability is public; everything else needs a session.
        (await gateway.GetAsync($"/reservations/availability?restaurant_id={someone}&date=2030-01-01&party_size=2"))
            .Headers.GetValues("X-Served-By").ShouldBe(["orders"]);
        foreach (var (method, path) in new[]
        {
            ("POST", "/reservations"), ("GET", "/reservations"), ("GET", "/reservations/mine"), ("GET", $"/reservations/{someone}"),
            ("POST", $"/reservations/{someone}/seat"), ("POST", $"/reservations/{someone}/cancel"), ("POST", $"/reservations/{someone}/no-show"),
        })
        {
            var response = await gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
        }

        // A customer books and cancels their own, but neither reads the day's book nor seats nor records no-shows.
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        gateway.WithBearer(customer);
        foreach (var (method, path) in new[]
        {
            ("GET", "/reservations"), ("POST", $"/reservations/{someone}/seat"), ("POST", $"/reservations/{someone}/no-show"),
        })
        {
            var response = await gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            response.Headers.GetValues("X-Served-By").ShouldBe(["gateway"], customMessage: $"{method} {path}");
        }
        (await gateway.GetAsync("/reservations/mine")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await gateway.PostAsync($"/reservations/{someone}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // An owner reads the book but has no reservations of their own to list.
        var owner = await AuthFlow.LoginAsync(fixture.CreateGatewayClient(), AuthFlow.NewEmail(), role: "rest");
        using var owners = fixture.App.CreateGatewayClient(owner);
        (await owners.GetAsync("/reservations/mine")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await owners.GetAsync($"/reservations?restaurant_id={someone}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>The waiter's row of the role table: the floor's routes pass the gateway, the kitchen's and the owner's do not.</summary>
    [Fact]
    public async Task A_waiter_token_reaches_the_floor_and_nothing_of_the_kitchen_or_the_owner()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var table = await r.AddTableAsync(1, 4, "Main room");

        foreach (var (method, path) in new[]
        {
            ("POST", "/tables"), ("PUT", $"/tables/{table}"), ("DELETE", $"/tables/{table}"), ("GET", "/kitchen/tickets"),
            ("POST", "/orders"), ("GET", "/analytics/revenue"), ("POST", "/restaurants"), ("GET", $"/restaurants/{r.Id}/staff"),
            ("POST", $"/billing/orders/{Guid.NewGuid()}/finalize"), ("GET", $"/billing/restaurants/{r.Id}/charges"),
            ("POST", $"/billing/restaurants/{r.Id}/discount-codes"), ("GET", $"/billing/restaurants/{r.Id}/discount-codes"),
            ("POST", $"/billing/bills/{Guid.NewGuid()}/refunds"), ("GET", $"/billing/bills/{Guid.NewGuid()}/refunds"),
        })
        {
            using var response = await waiter.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            response.Headers.GetValues("X-Served-By").ShouldBe(["gateway"], customMessage: $"{method} {path}");
        }

        // The floor: tables with their status, opening a table's order, its rounds; orders of the restaurant.
        (await waiter.Client.GetOkAsync("/tables")).GetArrayLength().ShouldBe(1);
        var order = await waiter.OpenTableOkAsync(table, 2);
        (await waiter.AddRoundOkAsync(order.GetProperty("id").GetGuid(), [FloorFlow.Line(r.A, 1)])).GetProperty("rounds").GetInt32().ShouldBe(1);
        (await waiter.Client.GetOkAsync($"/orders?restaurant_id={r.Id}")).GetProperty("total").GetInt64().ShouldBe(1);
        (await waiter.Client.GetOkAsync("/auth/me")).GetProperty("role").GetString().ShouldBe("waiter");

        // Settling the table: the waiter reads its bill and takes its payments (Billing answers, not the gateway).
        var orderId = order.GetProperty("id").GetGuid();
        var bill = await waiter.Client.WaitForBillAsync(orderId);
        (await waiter.Client.GetOkAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/payments")).GetArrayLength().ShouldBe(0);
        (await waiter.Client.GetOkAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/split")).GetProperty("bill_id").GetGuid().ShouldBe(bill.GetProperty("id").GetGuid());
        using (var elsewhere = await waiter.Client.CallAsync(HttpMethod.Post, $"/billing/payments/{Guid.NewGuid()}/capture"))
        {
            await elsewhere.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        // Kitchen staff see the floor but do not run it.
        (await r.Kitchen.Client.GetOkAsync("/tables")).GetArrayLength().ShouldBe(1);
        using (var kitchenOpens = await r.Kitchen.OpenTableAsync(table, 2))
            await kitchenOpens.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
