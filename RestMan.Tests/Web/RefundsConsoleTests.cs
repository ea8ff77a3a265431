using System.Net;
using RestMan.Tests.Billing;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Web;

/// <summary>Refunds in the owner's console: a paid bill refunded in part, then the rest, its refunds listed with the bill's new status.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class RefundsConsoleTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_owner_refunds_part_of_a_paid_bill_then_the_rest_and_sees_each_refund_and_the_bills_status()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        var billId = bill.GetProperty("id").GetGuid();
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/payments", new { method = "card", card_token = SettleFlow.GoodCard }))
            await paid.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var total = bill.Money("total_amount");

        var console = await browser.OpenAsync(fixture);
        await console.SignInAsync(r.Owner.Login.Email, "rest");
        var row = console.Locator($"[data-test=order-row][data-order-id='{orderId}']");
        await row.Locator("[data-test=bill-status]").GetByText("Paid").WaitForAsync();
        await row.Locator("[data-test=open-refunds]").ClickAsync();
        var panel = console.Locator("[data-test=refund-panel]");
        (await panel.Locator("[data-test=refundable]").InnerTextAsync()).ShouldBe(total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));

        // 5.00 back for a cold soup: the bill is partially refunded and the refund is listed.
        await panel.Locator("[data-test=refund-partial]").CheckAsync();
        await panel.Locator("[data-test=refund-amount]").FillAsync("5.00");
        await panel.Locator("[data-test=refund-reason]").FillAsync("cold soup");
        await panel.Locator("[data-test=refund]").ClickAsync();
        await console.Locator("[data-test=refund-panel][data-bill-status=PARTIALLY_REFUNDED]").WaitForAsync();
        (await panel.Locator("[data-test=refund-row]").CountAsync()).ShouldBe(1);
        (await panel.Locator("[data-test=refund-row]").InnerTextAsync()).ShouldContain("cold soup");
        (await panel.Locator("[data-test=amount-refunded]").InnerTextAsync()).ShouldBe("5.00");

        // Then the rest, in full: REFUNDED, nothing left to refund.
        await panel.Locator("[data-test=refund-full]").CheckAsync();
        await panel.Locator("[data-test=refund]").ClickAsync();
        await console.Locator("[data-test=refund-panel][data-bill-status=REFUNDED]").WaitForAsync();
        (await panel.Locator("[data-test=refund-row]").CountAsync()).ShouldBe(2);
        (await panel.Locator("[data-test=refund]").CountAsync()).ShouldBe(0);

        var after = await r.Owner.Client.GetOkAsync($"/billing/orders/{orderId}");
        after.Text("status").ShouldBe("REFUNDED");
        after.Money("amount_refunded").ShouldBe(total);
    }
}
