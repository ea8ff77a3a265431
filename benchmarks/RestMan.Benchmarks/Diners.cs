using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RestMan.Benchmarks;

/// <summary>The benchmark's own restaurant and customers, created through the gateway as real clients do.</summary>
public sealed partial record Diners(Guid RestaurantId, IReadOnlyList<Guid> FoodIds, IReadOnlyList<string> CustomerTokens)
{
    public static async Task<Diners> OpenAsync(HttpClient gateway, int customers)
    {
        var owner = await SignInAsync(gateway, $"owner-{Guid.NewGuid():N}@bench.example", "rest");
        var restaurant = await PostAsync(gateway, owner, "/restaurants", new { name = "Bench Trattoria", address = "1 Via Roma", phone = "+39 06 1234" });
        var category = await PostAsync(gateway, owner, $"/restaurants/{restaurant}/categories", new { name = "Pizze" });
        var foods = new List<Guid>();
        foreach (var (name, price) in new[] { ("Margherita", 9.50m), ("Diavola", 11.00m), ("Quattro formaggi", 12.50m), ("Tiramisu", 6.00m) })
            foods.Add(await PostAsync(gateway, owner, $"/restaurants/{restaurant}/foods", new { name, price, category_id = category }));

        var tokens = await Task.WhenAll(Enumerable.Range(0, customers)
            .Select(i => SignInAsync(gateway, $"diner{i}-{Guid.NewGuid():N}@bench.example", "user")));
        return new Diners(restaurant, foods, tokens);
    }

    /// <summary>A usual order: two lines from the menu, eaten in; the key makes a retried request harmless.</summary>
    public HttpRequestMessage PlaceOrder(int customer, int sequence)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new
            {
                restaurant_id = RestaurantId,
                order_type = "dine_in",
                items = new object[]
                {
                    new { food_id = FoodIds[sequence % FoodIds.Count], quantity = 2 },
                    new { food_id = FoodIds[(sequence + 1) % FoodIds.Count], quantity = 1 },
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CustomerTokens[customer % CustomerTokens.Count]);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return request;
    }

    private static async Task<string> SignInAsync(HttpClient gateway, string email, string role)
    {
        using var requested = await gateway.PostAsJsonAsync("/auth/request-otp", new { email, role });
        await EnsureSuccessAsync(requested, "POST /auth/request-otp");
        var mailbox = await gateway.GetFromJsonAsync<JsonElement>($"/dev/mailbox?email={Uri.EscapeDataString(email)}");
        var code = SixDigits().Match(mailbox[0].GetProperty("text").GetString() ?? "").Value;
        using var verified = await gateway.PostAsJsonAsync("/auth/verify-otp", new { email, code });
        await EnsureSuccessAsync(verified, "POST /auth/verify-otp");
        return (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task<Guid> PostAsync(HttpClient gateway, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.SendAsync(request);
        await EnsureSuccessAsync(response, $"POST {path}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    // The answer's problem (code, trace id) says what went wrong; EnsureSuccessStatusCode would drop it.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string request)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{request} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
