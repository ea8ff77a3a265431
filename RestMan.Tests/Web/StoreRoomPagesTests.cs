using System.Net;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Web;

/// <summary>
/// The store room in the owner's console: an item added and counted, a recipe saved, an order that takes the last
/// portion raises live alerts, the sold-out food stays in the recipe and menu editors (marked), and a purchase order
/// drafted, emailed and received brings the food back.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class StoreRoomPagesTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_owner_sets_up_stock_and_a_recipe_sees_the_sold_out_alert_live_and_restocks_through_a_purchase_order()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(r.Owner.Login.Email, "rest");
        await console.Locator("[data-test=tab-stock]").ClickAsync();
        var room = console.Locator("[data-test=store-room][data-live=on]");
        await room.WaitForAsync();

        await room.Locator("[data-test=new-item-name]").FillAsync("Mozzarella");
        await room.Locator("[data-test=new-item-sku]").FillAsync("MOZ-1");
        await room.Locator("[data-test=new-item-reorder]").FillAsync("300");
        await room.Locator("[data-test=add-item]").ClickAsync();
        var row = room.Locator("[data-test=stock-item][data-sku=MOZ-1]");
        await row.Locator("[data-test=pick-item]").ClickAsync();
        await room.Locator("[data-test=move-quantity]").FillAsync("200");
        await room.Locator("[data-test=save-move]").ClickAsync();
        await row.Locator("[data-test=available]").GetByText("200 g").WaitForAsync();

        await room.Locator("[data-test=recipe-food]").SelectOptionAsync(r.A.Id.ToString());
        await room.Locator("[data-test=recipe-item]").SelectOptionAsync(new SelectOptionValue { Label = "Mozzarella (g)" });
        await room.Locator("[data-test=recipe-quantity]").FillAsync("120");
        await room.Locator("[data-test=add-recipe-line]").ClickAsync();
        await room.Locator("[data-test=save-recipe]").ClickAsync();
        await room.Locator("[data-test=recipe-saved]").WaitForAsync();

        // A customer takes the last whole portion: the console hears it without a reload.
        await r.Customer.PlaceOrderOkAsync(new { restaurant_id = r.Id, order_type = "takeaway", items = new[] { new { food_id = r.A.Id, quantity = 1 } } });
        await room.Locator("[data-test=stock-alert]").GetByText("Margherita is sold out: off the menu").WaitForAsync();
        await room.Locator("[data-test=stock-alert]").GetByText("Mozzarella is low").WaitForAsync();
        await row.Locator("[data-test=available]").GetByText("80 g").WaitForAsync();

        // Sold out, the pizza is off the public menu but not out of the owner's editors, which read the owner's list when opened.
        using (var off = await r.Owner.UpdateFoodAsync(r.Id, r.B.Id, new { is_available = false }))
            await off.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var anonymous = fixture.CreateGatewayClient();
        await OrderingFlow.EventuallyAsync<bool>(async () =>
            (await RestaurantsFlow.ReadMenuAsync(anonymous, r.Id)).Menu.FoodNames().Contains(r.A.Name) ? null : true,
            OrderingFlow.EventDeadline, "the Margherita off the public menu");
        await console.Locator("[data-test=tab-menu]").ClickAsync();
        await console.Locator("[data-test=food-row][data-food=Margherita][data-sold-out=true]").GetByText("(sold out)").WaitForAsync();
        await Assertions.Expect(console.Locator("[data-test=food-row][data-food=Tiramisu] input[type=checkbox]")).Not.ToBeCheckedAsync(new() { Timeout = 15_000 });
        await console.Locator("[data-test=tab-stock]").ClickAsync();
        await Assertions.Expect(room.Locator($"[data-test=recipe-food] option[value='{r.A.Id}']")).ToHaveTextAsync("Margherita (sold out)", new() { Timeout = 15_000 });
        await Assertions.Expect(room.Locator($"[data-test=recipe-food] option[value='{r.B.Id}']")).ToHaveTextAsync("Tiramisu (unavailable)", new() { Timeout = 15_000 });

        var supplierEmail = AuthFlow.NewEmail();
        await room.Locator("[data-test=supplier-name]").FillAsync("Caseificio Rossi");
        await room.Locator("[data-test=supplier-email]").FillAsync(supplierEmail);
        await room.Locator("[data-test=add-supplier]").ClickAsync();
        await room.Locator("[data-test=draft-po]").ClickAsync();
        await room.Locator("[data-test=purchase-order][data-status=DRAFT] [data-test=send-po]").ClickAsync();
        await room.Locator("[data-test=purchase-order][data-status=SENT] [data-test=receive-po]").ClickAsync();
        await room.Locator("[data-test=purchase-order][data-status=RECEIVED]").WaitForAsync();
        await room.Locator("[data-test=stock-alert]").GetByText("Margherita is back on the menu").WaitForAsync();
        (await OrderingFlow.MailboxAsync(fixture, supplierEmail)).ShouldHaveSingleItem().Text.ShouldContain("Mozzarella");
    }
}
