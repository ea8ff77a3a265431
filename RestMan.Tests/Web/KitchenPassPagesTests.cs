using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Web;

/// <summary>
/// Issue 26 in the browser: the kitchen display per station with item bumping and urgent tickets on top, the
/// expediter's view, and a late ticket showing up by itself in the owner's console.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class KitchenPassPagesTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_display_filters_by_station_bumps_lines_puts_urgent_on_top_and_the_console_sees_a_late_ticket_live()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var kafka = fixture.App.GetConnectionString("kafka")!;
        var drinks = await r.Owner.CreateCategoryAsync(r.Id, "Drinks");
        var cola = await r.Owner.CreateFoodAsync(r.Id, "Cola", 3.00m, drinks);
        using (var grill = await r.Owner.Client.PostAsJsonAsync("/kitchen/stations",
            new { restaurant_id = r.Id, name = "Grill", food_ids = new[] { r.A.Id, r.B.Id }, delay_threshold_seconds = 3600 }))
            await grill.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using (var bar = await r.Owner.Client.PostAsJsonAsync("/kitchen/stations",
            new { restaurant_id = r.Id, name = "Drinks", category_ids = new[] { drinks }, delay_threshold_seconds = 3 }))
            await bar.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var colaCreated = await TopicReader.FirstAsync(kafka, "menu.events", e => e.EventType == "menu.food_created" && e.IsAbout("food_id", cola), OrderingFlow.EventDeadline);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["kitchen"], colaCreated.Position, OrderingFlow.EventDeadline);

        var kitchen = await browser.OpenAsync(fixture);
        await kitchen.SignInToKitchenDisplayAsync(r.Kitchen.Email);
        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(r.Owner.Login.Email, "rest", returnUrl: "/console");
        await console.Locator("[data-test=kitchen-alerts][data-live=on]").WaitForAsync();
        await console.MarkAsync();

        async Task<Guid> PlaceAsync(params Guid[] foods) =>
            (await r.Customer.PlaceOrderOkAsync(new
            {
                restaurant_id = r.Id,
                order_type = "takeaway",
                items = foods.Select(f => new { food_id = f, quantity = 1 }).ToArray(),
            })).GetProperty("id").GetGuid();
        var first = await PlaceAsync(r.A.Id, cola);
        var second = await PlaceAsync(r.B.Id);
        var third = await PlaceAsync(r.A.Id);
        foreach (var order in new[] { first, second, third })
            await kitchen.Locator($"[data-test=ticket][data-order-id='{order}']").First.WaitForAsync();

        // One station or all: the bar sees the cola only, the grill the three dishes.
        await kitchen.Locator("[data-test=station-picker]").SelectOptionAsync(new SelectOptionValue { Label = "Drinks" });
        await Expect(kitchen.Locator("[data-test=ticket]"), 1);
        (await kitchen.Locator("[data-test=ticket]").InnerTextAsync()).ShouldContain("Cola");
        await kitchen.Locator("[data-test=station-picker]").SelectOptionAsync(new SelectOptionValue { Label = "Grill" });
        await Expect(kitchen.Locator("[data-test=ticket]"), 3);
        (await kitchen.Locator("[data-column=NEW] [data-test=ticket]").First.GetAttributeAsync("data-order-id")).ShouldBe(first.ToString());

        // The last order is urgent: it goes to the top of its column.
        await kitchen.Locator($"[data-test=ticket][data-order-id='{third}'] [data-test=priority]").SelectOptionAsync("urgent");
        await kitchen.Locator($"[data-column=NEW] [data-test=ticket][data-order-id='{third}'][data-priority=urgent]").WaitForAsync();
        (await kitchen.Locator("[data-column=NEW] [data-test=ticket]").First.GetAttributeAsync("data-order-id")).ShouldBe(third.ToString());
        (await kitchen.Locator($"[data-test=ticket][data-order-id='{third}'] [data-test=priority-badge]").InnerTextAsync()).ShouldBe("URGENT");

        // Item by item: started, then bumped; the grill's ticket of the first order is then ready.
        var firstGrill = kitchen.Locator($"[data-test=ticket][data-order-id='{first}']");
        await firstGrill.Locator("[data-test=ticket-line][data-line-no='1'] [data-test=line-start]").ClickAsync();
        await kitchen.Locator($"[data-column=IN_PROGRESS] [data-test=ticket][data-order-id='{first}']").WaitForAsync();
        await kitchen.Locator($"[data-column=IN_PROGRESS] [data-test=ticket][data-order-id='{first}'] [data-test=line-bump]").ClickAsync();
        await kitchen.Locator($"[data-column=READY] [data-test=ticket][data-order-id='{first}']").WaitForAsync();

        // The cola was left alone past the bar's 3 s: the owner's console shows it by itself, without a reload.
        var alert = console.Locator($"[data-test=delay-alert][data-order-id='{first}']");
        await alert.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        (await alert.InnerTextAsync()).ShouldContain("Drinks");
        await console.ShouldNotHaveReloadedAsync();

        // The expediter sees the first order's two stations side by side, the grill done and the bar late.
        await kitchen.GotoAsync("/kitchen-expedite");
        var row = kitchen.Locator($"[data-test=expedite-order][data-order-id='{first}']");
        await row.WaitForAsync();
        (await row.GetAttributeAsync("data-delayed")).ShouldBe("yes");
        (await row.Locator("[data-test=station-ticket][data-station=Grill]").GetAttributeAsync("data-status")).ShouldBe("READY");
        (await row.Locator("[data-test=station-ticket][data-station=Grill] [data-test=progress]").InnerTextAsync()).ShouldBe("1/1");
        (await row.Locator("[data-test=station-ticket][data-station=Drinks]").GetAttributeAsync("data-delayed")).ShouldBe("yes");
    }

    [Fact]
    public async Task The_owner_gives_a_food_choices_with_prices_allergens_and_diets_in_the_menu_editor()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(r.Owner.Login.Email, "rest", returnUrl: "/console");
        await console.Locator("[data-test=tab-menu]").ClickAsync();
        await console.Locator("[data-test=food-row][data-food=Margherita] [data-test=edit-details]").ClickAsync();
        var details = console.Locator("[data-test=food-details][data-food=Margherita]");
        await details.Locator("[data-test=allergen-gluten]").CheckAsync();
        await details.Locator("[data-test=allergen-milk]").CheckAsync();
        await details.Locator("[data-test=diet-vegetarian]").CheckAsync();
        await details.Locator("[data-test=add-group]").ClickAsync();
        var group = details.Locator("[data-test=modifier-group]");
        await group.Locator("[data-test=group-name]").FillAsync("Size");
        await group.Locator("[data-test=group-min]").FillAsync("1");
        await group.Locator("[data-test=group-max]").FillAsync("1");
        await group.Locator("[data-test=option-name]").FillAsync("Small");
        await group.Locator("[data-test=add-option]").ClickAsync();
        await group.Locator("[data-test=option-name]").Nth(1).FillAsync("Large");
        await group.Locator("[data-test=option-price]").Nth(1).FillAsync("3.00");
        await details.Locator("[data-test=save-details]").ClickAsync();
        await details.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        using var anonymous = fixture.CreateGatewayClient();
        var (menu, _) = await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id);
        var margherita = menu.GetProperty("uncategorized").EnumerateArray().Concat(menu.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("foods").EnumerateArray()))
            .Single(f => f.Text("name") == "Margherita");
        margherita.GetProperty("allergens").EnumerateArray().Select(a => a.GetString()).ShouldBe(["gluten", "milk"]);
        margherita.GetProperty("diets").EnumerateArray().Select(a => a.GetString()).ShouldBe(["vegetarian"]);
        var size = margherita.GetProperty("modifier_groups").EnumerateArray().Single();
        size.Text("name").ShouldBe("Size");
        size.GetProperty("min_choices").GetInt32().ShouldBe(1);
        size.GetProperty("options").EnumerateArray().Select(o => (o.Text("name"), o.Money("price_delta"))).ShouldBe([("Small", 0m), ("Large", 3.00m)]);
    }

    private static async Task Expect(ILocator locator, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await locator.CountAsync() != count)
        {
            if (DateTime.UtcNow > deadline) (await locator.CountAsync()).ShouldBe(count);
            await Task.Delay(100);
        }
    }
}
