using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Billing;

/// <summary>Issue 27: a customer pays their online order's bill from tracking, through the simulated provider.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Billing")]
public sealed class OnlinePaymentTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_customer_pays_their_own_takeaway_bill_by_card_after_a_decline_and_no_other_customer_can()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder("takeaway"))).GetProperty("id").GetGuid();
        var bill = await r.Customer.Client.WaitForBillAsync(orderId);
        var billId = bill.GetProperty("id").GetGuid();
        var total = bill.Money("total_amount");

        // Another customer: the bill does not exist for them, whatever they send.
        using var stranger = await OrderingFlow.SignInAsync(fixture);
        using (var refused = await stranger.PayAsync(billId, new { method = "card", card_token = SettleFlow.GoodCard }, "stranger-1"))
            await refused.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // The customer pays online only: cash is the staff's.
        using (var cash = await r.Customer.PayAsync(billId, new { method = "cash" }, "cash-1"))
            (await cash.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("method", out _).ShouldBeTrue();

        // Declined, then retried with another card under a new key: paid once.
        var declined = await r.Customer.PayOkAsync(billId, new { method = "card", card_token = SettleFlow.DeclinedCard }, "attempt-1");
        declined.Text("status").ShouldBe("failed");
        declined.Text("failure_reason").ShouldBe("card_declined");
        declined.Text("bill_status").ShouldBe("PENDING");
        var paid = await r.Customer.PayOkAsync(billId, new { method = "card", card_token = SettleFlow.GoodCard }, "attempt-2");
        paid.Text("status").ShouldBe("captured");
        paid.Text("bill_status").ShouldBe("PAID");
        paid.Money("amount").ShouldBe(total);

        // The same attempt again (a double tap, a lost answer) is the first payment, not a second charge.
        using (var replay = await r.Customer.PayAsync(billId, new { method = "card", card_token = SettleFlow.GoodCard }, "attempt-2"))
        {
            await replay.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(paid.GetProperty("id").GetGuid());
        }
        using (var again = await r.Customer.PayAsync(billId, new { method = "card", card_token = SettleFlow.GoodCard }, "attempt-3"))
            await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_already_paid");

        var after = await r.Customer.Client.GetOkAsync($"/billing/orders/{orderId}");
        after.Text("status").ShouldBe("PAID");
        after.Money("amount_paid").ShouldBe(total);
        var payments = await r.Owner.Client.GetOkAsync($"/billing/bills/{billId}/payments");
        payments.EnumerateArray().Count(p => p.Text("status") == "captured").ShouldBe(1);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
    }
}
