using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Web;

/// <summary>Issue 26's screens: a guest chooses a pizza's options on the menu page, and the cook reads them on the display.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class ModifierPagesTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_guest_chooses_options_with_the_price_following_and_the_kitchen_display_shows_them_with_the_note_and_allergens()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurantId = await owner.CreateRestaurantAsync("Pizzeria Options");
        using (var created = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/foods", new
        {
            name = "Pizza",
            price = 10.00m,
            allergens = new[] { "gluten", "milk" },
            diets = new[] { "vegetarian" },
            modifier_groups = new object[]
            {
                new { name = "Size", min_choices = 1, max_choices = 1, options = new[] { new { name = "Small", price_delta = 0m }, new { name = "Large", price_delta = 3.00m } } },
                new { name = "Extras", min_choices = 0, max_choices = 2, options = new[] { new { name = "Cheese", price_delta = 1.50m }, new { name = "Olives", price_delta = 1.00m } } },
            },
        }))
            await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var cookEmail = AuthFlow.NewEmail();
        using (var hired = await owner.Client.PostAsJsonAsync($"/restaurants/{restaurantId}/staff", new { email = cookEmail }))
            await hired.ShouldHaveStatusAsync(HttpStatusCode.Created);

        var kitchen = await browser.OpenAsync(fixture);
        await kitchen.SignInToKitchenDisplayAsync(cookEmail);

        var customer = await browser.OpenAsync(fixture);
        await customer.SignInAsync(AuthFlow.NewEmail(), "user", returnUrl: $"/menu/{restaurantId}");
        var pizza = customer.Locator("[data-test=food][data-food=Pizza]");
        await pizza.Locator("[data-test=allergen][data-allergen=gluten]").WaitForAsync();
        await pizza.Locator("[data-test=diet][data-diet=vegetarian]").WaitForAsync();

        await pizza.Locator("[data-test=add]").ClickAsync();
        var chooser = pizza.Locator("[data-test=chooser]");
        (await chooser.Locator("[data-test=add-chosen]").IsDisabledAsync()).ShouldBeTrue("a size must be chosen first");
        await chooser.Locator("[data-test=option][data-option=Large]").CheckAsync();
        await chooser.Locator("[data-test=chosen-price]").GetByText("13.00").WaitForAsync();
        await chooser.Locator("[data-test=option][data-option=Cheese]").CheckAsync();
        await chooser.Locator("[data-test=chosen-price]").GetByText("14.50").WaitForAsync();
        await chooser.Locator("[data-test=line-note]").FillAsync("well done");
        await chooser.Locator("[data-test=add-chosen]").ClickAsync();
        await customer.Locator("[data-test=cart-total]").GetByText("14.50").WaitForAsync();
        (await customer.Locator("[data-test=cart-options]").InnerTextAsync()).ShouldBe("Large, Cheese");

        await customer.Locator("[data-test=place-order]").ClickAsync();
        var tracking = customer.WaitForURLAsync("**/track/*");
        var refused = customer.Locator("[data-test=error]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        if (await Task.WhenAny(tracking, refused) == refused && refused.IsCompletedSuccessfully)
            throw new ShouldAssertException($"The order was not placed: {await customer.Locator("[data-test=error]").InnerTextAsync()}");
        await tracking;
        var orderId = Guid.Parse(customer.Url.Split('/').Last());

        var line = kitchen.Locator($"[data-test=ticket][data-order-id='{orderId}'] [data-test=ticket-line]");
        await line.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        (await line.Locator("[data-test=line-options]").InnerTextAsync()).ShouldBe("Large, Cheese");
        (await line.Locator("[data-test=line-note]").InnerTextAsync()).ShouldContain("well done");
        (await line.Locator("[data-test=allergen]").AllInnerTextsAsync()).ShouldBe(["Gluten", "Milk"]);
    }
}
