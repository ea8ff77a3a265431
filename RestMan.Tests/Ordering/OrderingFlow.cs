using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Ordering;

/// <summary>Someone signed in through the gateway, with a client that carries their token.</summary>
public sealed record Person(LoginResult Login, HttpClient Client) : IDisposable
{
    public Guid UserId => Login.UserId;
    public string Email => Login.Email;
    public void Dispose() => Client.Dispose();
}

public sealed record Dish(Guid Id, string Name, decimal Price);

/// <summary>
/// One restaurant ready to take orders: its owner, two dishes (A at 12.50, B at 7.25), one kitchen staff member, and a
/// customer, all signed in through the gateway as clients would be.
/// </summary>
public sealed class Restaurant : IDisposable
{
    private Restaurant(SignedInOwner owner, Guid id, Dish a, Dish b, Person kitchen, Person customer)
    {
        Owner = owner;
        Id = id;
        A = a;
        B = b;
        Kitchen = kitchen;
        Customer = customer;
    }

    public SignedInOwner Owner { get; }
    public Guid Id { get; }
    public Dish A { get; }
    public Dish B { get; }
    public Person Kitchen { get; }
    public Person Customer { get; }

    /// <summary>A new restaurant, of a new owner or of <paramref name="owner"/>.</summary>
    public static async Task<Restaurant> OpenAsync(ApplicationFixture fixture, SignedInOwner? owner = null)
    {
        owner ??= await RestaurantsFlow.SignInOwnerAsync(fixture);
        var id = await owner.CreateRestaurantAsync();
        var a = new Dish(await owner.CreateFoodAsync(id, "Margherita", 12.50m), "Margherita", 12.50m);
        var b = new Dish(await owner.CreateFoodAsync(id, "Tiramisu", 7.25m), "Tiramisu", 7.25m);
        var kitchen = await OrderingFlow.HireKitchenStaffAsync(fixture, owner, id);
        var customer = await OrderingFlow.SignInAsync(fixture);
        return new Restaurant(owner, id, a, b, kitchen, customer);
    }

    /// <summary>2 × A and 1 × B, eaten in.</summary>
    public object UsualOrder(string orderType = "dine_in") => new
    {
        restaurant_id = Id,
        order_type = orderType,
        items = new object[] { new { food_id = A.Id, quantity = 2 }, new { food_id = B.Id, quantity = 1 } },
    };

    public void Dispose()
    {
        Owner.Dispose();
        Kitchen.Dispose();
        Customer.Dispose();
    }
}

/// <summary>What customers, kitchens and owners do with orders, tickets and bills, through the gateway.</summary>
public static class OrderingFlow
{
    /// <summary>How long an event may take to show its effect in another service: far more than it should ever need.</summary>
    public static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(10);

    public static async Task<Person> SignInAsync(ApplicationFixture fixture, string? role = null)
    {
        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role);
        return new Person(login, fixture.App.CreateGatewayClient(login));
    }

    /// <summary>The owner adds a kitchen account to the restaurant; the staff member then signs in by OTP.</summary>
    public static async Task<Person> HireKitchenStaffAsync(ApplicationFixture fixture, SignedInOwner owner, Guid restaurantId)
    {
        var email = AuthFlow.NewEmail();
        using (var hired = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email }))
            await hired.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using var gateway = fixture.CreateGatewayClient();
        var login = await AuthFlow.LoginAsync(gateway, email);
        login.Role.ShouldBe("kitch");
        return new Person(login, fixture.App.CreateGatewayClient(login));
    }

    public static async Task<HttpResponseMessage> PlaceOrderAsync(this Person customer, object order, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(order) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await customer.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Places the order and returns its body, failing unless it was created.</summary>
    public static async Task<JsonElement> PlaceOrderOkAsync(this Person customer, object order)
    {
        using var response = await customer.PlaceOrderAsync(order);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpResponseMessage> CallAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The order's kitchen ticket as its kitchen staff see it, once the kitchen has it.</summary>
    public static Task<JsonElement> WaitForTicketAsync(this Person kitchen, Guid orderId, TimeSpan? deadline = null) =>
        EventuallyAsync<JsonElement>(async () =>
        {
            var page = await kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}");
            return page.GetProperty("items").EnumerateArray().Select(t => (JsonElement?)t).FirstOrDefault();
        }, deadline ?? EventDeadline, $"the kitchen ticket of order {orderId}");

    /// <summary>The order's bill once Billing has made it.</summary>
    public static Task<JsonElement> WaitForBillAsync(this HttpClient client, Guid orderId) =>
        EventuallyAsync<JsonElement>(async () =>
        {
            using var response = await client.GetAsync($"/billing/orders/{orderId}");
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }, EventDeadline, $"the bill of order {orderId}");

    /// <summary>Waits until <paramref name="path"/> answers a body whose <paramref name="property"/> is <paramref name="expected"/>.</summary>
    public static Task<JsonElement> WaitForAsync(this HttpClient client, string path, string property, string expected) =>
        EventuallyAsync<JsonElement>(async () =>
        {
            var body = await client.GetOkAsync(path);
            return body.GetProperty(property).GetString() == expected ? body : (JsonElement?)null;
        }, EventDeadline, $"{path} to have {property} = {expected}");

    public const string ReadySubject = "Your RestMan order is ready";

    /// <summary>What the dev mailbox holds for <paramref name="email"/>, newest first.</summary>
    public static async Task<IReadOnlyList<MailboxMessage>> MailboxAsync(ApplicationFixture fixture, string email)
    {
        using var gateway = fixture.CreateGatewayClient();
        return await AuthFlow.ReadMailboxAsync(gateway, email);
    }

    /// <summary>The newest mail to <paramref name="email"/> with this subject, once it has arrived.</summary>
    public static async Task<MailboxMessage> WaitForMailAsync(ApplicationFixture fixture, string email, string subject)
    {
        MailboxMessage? found = null;
        await EventuallyAsync<bool>(async () =>
        {
            found = (await MailboxAsync(fixture, email)).FirstOrDefault(m => m.Subject == subject);
            return found is null ? null : true;
        }, EventDeadline, $"a mail '{subject}' to {email}");
        return found!;
    }

    /// <summary>Polls until <paramref name="probe"/> has an answer, failing with <paramref name="what"/> at the deadline.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what) where T : struct
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (clock.Elapsed > deadline) throw new TimeoutException($"waited {deadline.TotalSeconds:0.#} s for {what}");
            await Task.Delay(50);
        }
    }

    public static decimal Money(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
