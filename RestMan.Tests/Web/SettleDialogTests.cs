using RestMan.Tests.Billing;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Web;

/// <summary>The settle dialog on the floor: a discount, an even split, and each part paid its own way, in the browser.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class SettleDialogTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_owner_settles_a_table_in_two_parts_a_declined_card_retried_and_cash_with_a_tip()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var table = await r.AddTableAsync(3, 4, "Main room");
        var order = await waiter.OpenTableOkAsync(table, 2, [FloorFlow.Line(r.A, 2)]);
        await waiter.BillOfAsync(order.GetProperty("id").GetGuid(), 25.00m);

        var page = await browser.OpenAsync(fixture);
        await page.SignInAsync(r.Owner.Login.Email, "rest", returnUrl: "/floor");
        await page.Locator("[data-test=table][data-number='3']").ClickAsync();
        await page.Locator("[data-test=settle]").ClickAsync();
        var dialog = page.Locator("[data-test=settle-dialog]");
        (await dialog.Locator("[data-test=bill-total]").InnerTextAsync()).ShouldBe("27.50");
        var receiptLink = await dialog.Locator("[data-test=receipt]").GetAttributeAsync("href");
        receiptLink.ShouldStartWith("/receipt/");

        // The manager takes 10 % off for a long wait: 25.00 − 2.50 + 2.25 tax.
        await dialog.Locator("[data-test=discount-percent]").FillAsync("10");
        await dialog.Locator("[data-test=discount-reason]").FillAsync("Long wait");
        await dialog.Locator("[data-test=apply-discount]").ClickAsync();
        await dialog.Locator("[data-test=discount]").WaitForAsync();
        (await dialog.Locator("[data-test=bill-total]").InnerTextAsync()).ShouldBe("24.75");

        // Two guests, half each: the first card is declined, the second goes through with a tip; the other pays cash.
        await dialog.Locator("[data-test=split-guests]").FillAsync("2");
        await dialog.Locator("[data-test=split-evenly]").ClickAsync();
        await dialog.Locator("[data-test=part]").Nth(1).WaitForAsync();
        await dialog.Locator("[data-test=pay-method]").SelectOptionAsync("card");
        await dialog.Locator("[data-test=pay-card]").FillAsync(SettleFlow.DeclinedCard);
        await dialog.Locator("[data-test=pay]").ClickAsync();
        await dialog.Locator("[data-test=payment][data-status=failed]").WaitForAsync();
        await dialog.Locator("[data-test=pay-card]").FillAsync(SettleFlow.GoodCard);
        await dialog.Locator("[data-test=pay-tip]").FillAsync("2.00");
        await dialog.Locator("[data-test=pay]").ClickAsync();
        await dialog.Locator("[data-test=part][data-status=PAID]").WaitForAsync();
        await dialog.Locator("[data-test=pay-part]").SelectOptionAsync("2");
        await dialog.Locator("[data-test=pay-method]").SelectOptionAsync("cash");
        await dialog.Locator("[data-test=pay]").ClickAsync();

        await page.Locator("[data-test=settle-dialog][data-bill-status=PAID]").Or(page.Locator("[data-test=table][data-number='3'][data-status=NEEDS_CLEANING]")).First.WaitForAsync();
        var bill = await waiter.BillAsync(order.GetProperty("id").GetGuid());
        bill.Text("status").ShouldBe("PAID");
        bill.Money("amount_paid").ShouldBe(24.75m);
        bill.Money("tip_amount").ShouldBe(2.00m);
        await waiter.Client.WaitForAsync($"/tables/{table}", "status", "NEEDS_CLEANING");

        // The receipt link opens the printable receipt, as the signed-in waiter.
        var receipt = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), receiptLink).ToString());
        receipt.Status.ShouldBe(200);
        var text = await receipt.TextAsync();
        text.ShouldContain("@media print");
        text.ShouldContain("24.75");
    }
}
