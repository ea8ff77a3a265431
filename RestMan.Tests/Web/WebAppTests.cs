using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Web;

/// <summary>
/// The browser front end through the gateway, each person in a browser context of their own: the kitchen display,
/// the owner's console and the customer's ordering and tracking pages, updated live without reloads.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class WebAppTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_order_placed_in_the_browser_reaches_the_kitchen_display_live_and_the_customer_follows_it_until_paid()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync("Trattoria Live");
        var pizze = await owner.CreateCategoryAsync(restaurantId, "Pizze");
        await owner.CreateFoodAsync(restaurantId, "Margherita", 9.50m, pizze);
        await owner.CreateFoodAsync(restaurantId, "Diavola", 11.00m, pizze);
        var cookEmail = await HireCookAsync(owner, restaurantId);

        var kitchen = await browser.OpenAsync(fixture);
        await kitchen.SignInToKitchenDisplayAsync(cookEmail);
        await kitchen.MarkAsync();

        var customer = await browser.OpenAsync(fixture);
        await customer.SignInAsync(AuthFlow.NewEmail(), "user", returnUrl: $"/menu/{restaurantId}");
        await customer.Locator("[data-test=food][data-food=Margherita] [data-test=add]").ClickAsync();
        await customer.Locator("[data-test=food][data-food=Margherita] [data-test=add]").ClickAsync();
        await customer.Locator("[data-test=food][data-food=Diavola] [data-test=add]").ClickAsync();
        await customer.Locator("[data-test=cart-total]").GetByText("30.00").WaitForAsync();
        await customer.Locator("[data-test=order-type]").SelectOptionAsync("takeaway");
        await customer.Locator("[data-test=notes]").FillAsync("No basil on one, please");
        await customer.Locator("[data-test=place-order]").ClickAsync();
        // The page says why an order was not placed: fail with that, not with a bare navigation timeout.
        var tracking = customer.WaitForURLAsync("**/track/*");
        var refused = customer.Locator("[data-test=error]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        if (await Task.WhenAny(tracking, refused) == refused && refused.IsCompletedSuccessfully)
            throw new ShouldAssertException($"The order was not placed: {await customer.Locator("[data-test=error]").InnerTextAsync()}");
        await tracking;
        var placed = Stopwatch.StartNew();
        var orderId = Guid.Parse(customer.Url.Split('/').Last());
        await customer.Locator("[data-test=tracking][data-live=on]").WaitForAsync();
        await customer.MarkAsync();

        // The ticket appears on the open kitchen display by itself, within 2 s of the order.
        var ticket = kitchen.Locator($"[data-test=ticket][data-order-id='{orderId}']");
        await ticket.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
        placed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        (await ticket.GetAttributeAsync("data-status")).ShouldBe("NEW");
        var card = await ticket.InnerTextAsync();
        card.ShouldContain("2 × Margherita");
        card.ShouldContain("1 × Diavola");
        card.ShouldContain("No basil on one, please");
        card.ShouldContain("Takeaway");

        // The cook taps it along to READY.
        foreach (var status in new[] { "ACCEPTED", "IN_PROGRESS", "READY" })
        {
            await ticket.Locator("[data-test=move]").ClickAsync();
            await kitchen.Locator($"[data-test=ticket][data-order-id='{orderId}'][data-status={status}]").WaitForAsync();
        }
        await kitchen.ShouldNotHaveReloadedAsync();
        await kitchen.ScreenshotForReadmeAsync("kitchen-display");

        // The customer's tracking page follows without a reload.
        await customer.Locator("[data-test=order-status]").GetByText("Ready").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        await customer.Locator("[data-test=bill-status]").GetByText("Pending").WaitForAsync();

        // The owner takes the payment in the console.
        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(owner.Login.Email, "rest");
        var row = console.Locator($"[data-test=order-row][data-order-id='{orderId}']");
        await row.Locator("[data-test=payment-method]").SelectOptionAsync("card");
        await row.Locator("[data-test=finalize]").ClickAsync();
        await row.Locator("[data-test=bill-status]").GetByText("Paid").WaitForAsync();
        await console.ScreenshotForReadmeAsync("console");

        // ... and the customer sees the bill paid, still without a reload.
        await customer.Locator("[data-test=bill-status]").GetByText("Paid").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        (await customer.Locator("[data-test=bill-total]").InnerTextAsync()).ShouldBe("33.00"); // 30.00 + 10% tax
        await customer.ShouldNotHaveReloadedAsync();
        await customer.ScreenshotForReadmeAsync("tracking");
    }

    [Fact]
    public async Task A_category_and_a_food_created_in_the_console_are_on_the_customers_menu()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync($"Osteria {Guid.NewGuid():N}");

        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(owner.Login.Email, "rest");
        await console.Locator("[data-test=tab-menu]").ClickAsync();
        await console.Locator("[data-test=new-category-name]").FillAsync("Dolci");
        await console.Locator("[data-test=create-category]").ClickAsync();
        await console.Locator("[data-test=new-food-category] option", new PageLocatorOptions { HasText = "Dolci" }).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        // A price that is not a price is refused in plain words, and nothing is created.
        await console.Locator("[data-test=new-food-name]").FillAsync("Tiramisu");
        await console.Locator("[data-test=new-food-price]").FillAsync("-3");
        await console.Locator("[data-test=create-food]").ClickAsync();
        (await console.Locator("[data-test=error]").InnerTextAsync()).ShouldContain("Price");

        await console.Locator("[data-test=new-food-price]").FillAsync("6.50");
        await console.Locator("[data-test=new-food-category]").SelectOptionAsync(new SelectOptionValue { Label = "Dolci" });
        await console.Locator("[data-test=create-food]").ClickAsync();
        await console.Locator("[data-test=food-row][data-food=Tiramisu]").WaitForAsync();

        var customer = await browser.OpenAsync(fixture);
        await customer.GotoAsync($"/menu/{restaurantId}");
        await customer.Locator("[data-test=category]").GetByText("Dolci").WaitForAsync();
        (await customer.Locator("[data-test=food][data-food=Tiramisu]").InnerTextAsync()).ShouldContain("6.50");
    }

    [Fact]
    public async Task A_kitchen_sees_only_its_own_restaurants_tickets_and_a_customer_cannot_open_the_console()
    {
        using var ownerA = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantA = await ownerA.CreateRestaurantAsync();
        var foodA = await ownerA.CreateFoodAsync(restaurantA, "Carbonara", 12m);
        using var ownerB = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantB = await ownerB.CreateRestaurantAsync();
        var foodB = await ownerB.CreateFoodAsync(restaurantB, "Amatriciana", 11m);
        var cookB = await HireCookAsync(ownerB, restaurantB);

        var kitchenB = await browser.OpenAsync(fixture);
        await kitchenB.SignInToKitchenDisplayAsync(cookB);

        using var gateway = fixture.CreateGatewayClient();
        var customerLogin = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using var customer = fixture.App.CreateGatewayClient(customerLogin);
        var orderA = await PlaceAsync(customer, restaurantA, foodA);
        var orderB = await PlaceAsync(customer, restaurantB, foodB);

        // B's own order shows up live; A's never does.
        await kitchenB.Locator($"[data-test=ticket][data-order-id='{orderB}']").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        (await kitchenB.Locator($"[data-test=ticket][data-order-id='{orderA}']").CountAsync()).ShouldBe(0);
        (await kitchenB.Locator("[data-test=kitchen-display]").InnerTextAsync()).ShouldNotContain("Carbonara");

        // A customer who opens the console is told it is not for them, and sees none of it.
        var page = await browser.OpenAsync(fixture);
        await page.SignInAsync(customerLogin.Email, "user");
        await page.GotoAsync("/console");
        await page.Locator("[data-test=not-for-you]").WaitForAsync();
        (await page.Locator("[data-test=console]").CountAsync()).ShouldBe(0);
        // Signing out (a form with its anti-forgery token) ends the session: their own pages ask for a sign-in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/my-orders");
        page.Url.ShouldContain("/sign-in?returnUrl=");
        // Nor does a browser that is not signed in: it is sent to sign in first.
        var anonymous = await browser.OpenAsync(fixture);
        await anonymous.GotoAsync("/console");
        anonymous.Url.ShouldContain("/sign-in?returnUrl=");
    }

    private static async Task<string> HireCookAsync(SignedInOwner owner, Guid restaurantId)
    {
        var email = AuthFlow.NewEmail();
        using var hired = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email });
        await hired.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return email;
    }

    private static async Task<Guid> PlaceAsync(HttpClient customer, Guid restaurantId, Guid foodId)
    {
        using var response = await customer.PostAsJsonAsync("/orders",
            new { restaurant_id = restaurantId, order_type = "dine_in", items = new[] { new { food_id = foodId, quantity = 1 } } });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
    }
}
