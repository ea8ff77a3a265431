using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Floor;

/// <summary>What owners and waiters do on the floor (tables, table orders, rounds), through the gateway.</summary>
public static class FloorFlow
{
    /// <summary>The owner adds a waiter to the restaurant; the waiter then signs in by OTP.</summary>
    public static async Task<Person> HireWaiterAsync(ApplicationFixture fixture, Restaurant r)
    {
        var email = AuthFlow.NewEmail();
        using (var hired = await r.Owner.Client.PostAsJsonAsync($"/restaurants/{r.Id}/staff", new { email, role = "waiter" }))
        {
            await hired.ShouldHaveStatusAsync(HttpStatusCode.Created);
            (await hired.Content.ReadFromJsonAsync<JsonElement>()).Text("role").ShouldBe("waiter");
        }
        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, email);
        login.Role.ShouldBe("waiter");
        return new Person(login, fixture.App.CreateGatewayClient(login));
    }

    /// <summary>The owner lays a table; returns its id.</summary>
    public static async Task<Guid> AddTableAsync(this Restaurant r, int number, int capacity, string section)
    {
        using var created = await r.Owner.Client.CallAsync(HttpMethod.Post, "/tables",
            new { restaurant_id = r.Id, number, capacity, section });
        await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var table = await created.Content.ReadFromJsonAsync<JsonElement>();
        table.Text("status").ShouldBe("AVAILABLE");
        return table.GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> OpenTableAsync(this Person waiter, Guid tableId, int covers, object[]? items = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders/dine-in")
        {
            Content = JsonContent.Create(new { table_id = tableId, covers, items }),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await waiter.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<JsonElement> OpenTableOkAsync(this Person waiter, Guid tableId, int covers, object[]? items = null)
    {
        using var response = await waiter.OpenTableAsync(tableId, covers, items);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpResponseMessage> AddRoundAsync(this Person waiter, Guid orderId, object[] items, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/orders/{orderId}/rounds") { Content = JsonContent.Create(new { items }) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await waiter.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<JsonElement> AddRoundOkAsync(this Person waiter, Guid orderId, object[] items, string? key = null)
    {
        using var response = await waiter.AddRoundAsync(orderId, items, key);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static object Line(Dish dish, int quantity) => new { food_id = dish.Id, quantity };

    /// <summary>The table as the floor sees it.</summary>
    public static Task<JsonElement> TableAsync(this Person staff, Guid tableId) => staff.Client.GetOkAsync($"/tables/{tableId}");

    /// <summary>The order's kitchen tickets (one per round), once the kitchen has <paramref name="count"/> of them.</summary>
    public static Task<JsonElement[]> WaitForTicketsAsync(this Person kitchen, Guid orderId, int count) =>
        OrderingFlow.EventuallyAsync<Wrapped>(async () =>
        {
            var page = await kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}");
            var tickets = page.GetProperty("items").EnumerateArray().OrderBy(t => t.GetProperty("round").GetInt32()).ToArray();
            return tickets.Length == count ? new Wrapped(tickets) : null;
        }, OrderingFlow.EventDeadline, $"{count} kitchen tickets of order {orderId}").ContinueWith(t => t.Result.Tickets);

    public readonly record struct Wrapped(JsonElement[] Tickets);
}
