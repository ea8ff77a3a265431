using RestMan.Tests.Billing;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Web;

/// <summary>A customer pays their takeaway order from the tracking page: a declined card shown, then a good one.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Web")]
public sealed class PayOnlineTests(ApplicationFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_customer_sees_a_decline_then_pays_now_from_tracking_and_the_bill_shows_paid()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder("takeaway"))).GetProperty("id").GetGuid();
        await r.Customer.Client.WaitForBillAsync(orderId);

        var page = await browser.OpenAsync(fixture);
        await page.SignInAsync(r.Customer.Login.Email, "user", returnUrl: $"/track/{orderId}");
        await page.GotoAsync($"/track/{orderId}");
        var pay = page.Locator("[data-test=pay-online]");
        await pay.WaitForAsync();

        await pay.Locator("[data-test=pay-card]").FillAsync(SettleFlow.DeclinedCard);
        await pay.Locator("[data-test=pay-now]").ClickAsync();
        await pay.Locator("[data-test=pay-result][data-failed=yes]").WaitForAsync();
        (await pay.Locator("[data-test=pay-result]").InnerTextAsync()).ShouldContain("declined");

        await pay.Locator("[data-test=pay-card]").FillAsync(SettleFlow.GoodCard);
        await pay.Locator("[data-test=pay-now]").ClickAsync();
        await page.Locator("[data-test=bill-status]").GetByText("Paid").WaitForAsync();
        (await page.Locator("[data-test=pay-online]").CountAsync()).ShouldBe(0);

        (await r.Customer.Client.GetOkAsync($"/billing/orders/{orderId}")).Text("status").ShouldBe("PAID");
    }
}
