using System.Diagnostics;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Web;

namespace RestMan.Tests.Floor;

/// <summary>The waiter's floor view in the browser, next to the kitchen display, both updated live without reloads.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class FloorViewTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_round_added_on_the_floor_view_is_on_the_kitchen_display_within_2_s_without_reload()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var table = await r.AddTableAsync(4, 4, "Main room");
        var order = await waiter.OpenTableOkAsync(table, 2);
        var orderId = order.GetProperty("id").GetGuid();

        var kitchen = await browser.OpenAsync(fixture);
        await kitchen.SignInToKitchenDisplayAsync(r.Kitchen.Email);
        await kitchen.MarkAsync();

        var floor = await browser.OpenAsync(fixture);
        await floor.SignInAsync(waiter.Email);
        await floor.WaitForURLAsync("**/floor");
        await floor.Locator("[data-test=floor][data-live=on]").WaitForAsync();
        await floor.MarkAsync();
        await floor.Locator("[data-test=table][data-number='4'][data-status=OCCUPIED]").ClickAsync();
        var panel = floor.Locator("[data-test=table-panel]");
        await panel.Locator("[data-test=order-number]").GetByText(order.Text("order_number")).WaitForAsync();
        await panel.Locator($"[data-test=add-food][data-food='{r.A.Name}']").ClickAsync();
        await panel.Locator($"[data-test=add-food][data-food='{r.B.Name}']").ClickAsync();
        await panel.Locator("[data-test=send-round]").ClickAsync();
        var sent = Stopwatch.StartNew();

        // The round is its own ticket on the open kitchen display, by itself, within 2 s.
        var ticket = kitchen.Locator($"[data-test=ticket][data-order-id='{orderId}']");
        await ticket.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
        sent.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        var card = await ticket.InnerTextAsync();
        card.ShouldContain($"1 × {r.A.Name}");
        card.ShouldContain($"1 × {r.B.Name}");
        card.ShouldContain(order.Text("order_number"));
        card.ShouldContain("table 4");

        // The waiter's running bill shows the round.
        await panel.Locator("[data-test=running-total]").GetByText((r.A.Price + r.B.Price).ToString("0.00")).WaitForAsync();
        await kitchen.ShouldNotHaveReloadedAsync();
        await floor.ShouldNotHaveReloadedAsync();
    }
}
