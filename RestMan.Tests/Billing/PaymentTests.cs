using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Billing;

/// <summary>
/// Issue 27: a bill paid by payments of its own, PENDING → PARTIALLY_PAID → PAID, through the simulated provider
/// (declines, timeouts settled by the reconciler, the signed webhook), never overpaid, never charged twice.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Billing")]
public sealed class PaymentTests(ApplicationFixture fixture)
{
    /// <summary>A table of two with two Margheritas: 25.00 + 10 % tax = 27.50.</summary>
    private async Task<(Restaurant R, Person Waiter, Guid OrderId, Guid BillId)> SeatedTableAsync(int tableNumber = 1)
    {
        var r = await Restaurant.OpenAsync(fixture);
        var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var table = await r.AddTableAsync(tableNumber, 4, "Main room");
        var order = await waiter.OpenTableOkAsync(table, 2, [FloorFlow.Line(r.A, 2)]);
        var orderId = order.GetProperty("id").GetGuid();
        var bill = await waiter.BillOfAsync(orderId, 25.00m);
        bill.Money("total_amount").ShouldBe(27.50m);
        return (r, waiter, orderId, bill.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_table_pays_in_parts_and_the_bill_goes_pending_partially_paid_paid_once()
    {
        var (r, waiter, orderId, billId) = await SeatedTableAsync();
        using var _ = r;
        using var __ = waiter;

        // 10.00 in cash with a 1.50 tip: the bill is partly paid, 17.50 still owed.
        var key = Guid.NewGuid().ToString();
        var cash = await waiter.PayOkAsync(billId, new { amount = 10.00m, tip = 1.50m, method = "cash" }, key);
        cash.Text("status").ShouldBe("captured");
        cash.Text("bill_status").ShouldBe("PARTIALLY_PAID");
        cash.Money("balance_due").ShouldBe(17.50m);

        // The same request again (a retry after a lost answer) is the same payment; the key with another request is refused.
        using (var replay = await waiter.PayAsync(billId, new { amount = 10.00m, tip = 1.50m, method = "cash" }, key))
        {
            await replay.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(cash.GetProperty("id").GetGuid());
        }
        using (var reused = await waiter.PayAsync(billId, new { amount = 12.00m, method = "cash" }, key))
            await reused.ShouldBeProblemAsync((HttpStatusCode)422, "idempotency_key_reused");

        // More than is owed is refused; a bad method names the field.
        using (var over = await waiter.PayAsync(billId, new { amount = 17.51m, method = "card", card_token = SettleFlow.GoodCard }))
            await over.ShouldBeProblemAsync(HttpStatusCode.Conflict, "overpayment");
        using (var cheque = await waiter.PayAsync(billId, new { amount = 1.00m, method = "cheque" }))
            await cheque.ShouldNameFieldAsync("method");

        // The rest by card (no amount: all that is owed): PAID.
        var card = await waiter.PayOkAsync(billId, new { method = "card", card_token = SettleFlow.GoodCard, tip = 2.00m });
        card.Text("status").ShouldBe("captured");
        card.Money("amount").ShouldBe(17.50m);
        card.Text("bill_status").ShouldBe("PAID");
        card.Money("balance_due").ShouldBe(0m);

        // Paid is paid: neither another payment nor finalize takes more.
        using (var more = await waiter.PayAsync(billId, new { amount = 1.00m, method = "cash" }))
            await more.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_already_paid");
        using (var finalize = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "cash" }))
            await finalize.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_already_paid");

        var bill = await waiter.BillAsync(orderId);
        bill.Text("status").ShouldBe("PAID");
        bill.Money("amount_paid").ShouldBe(27.50m);
        bill.Money("tip_amount").ShouldBe(3.50m);
        bill.Text("payment_method").ShouldBe("card");
        var payments = await waiter.Client.GetOkAsync($"/billing/bills/{billId}/payments");
        payments.EnumerateArray().Select(p => (p.Text("method"), p.Text("status"), p.Money("amount"), p.Money("tip")))
            .ShouldBe([("cash", "captured", 10.00m, 1.50m), ("card", "captured", 17.50m, 2.00m)]);

        // bill.paid went out exactly once, after two payment.completed; the table closes.
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.completed", 2)).Count.ShouldBe(2);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
        await waiter.Client.WaitForAsync($"/orders/{orderId}", "status", "COMPLETED");
    }

    [Fact]
    public async Task Payments_racing_for_the_last_amount_of_a_bill_exactly_one_is_taken()
    {
        var (r, waiter, orderId, billId) = await SeatedTableAsync();
        using var _ = r;
        using var __ = waiter;
        await waiter.PayOkAsync(billId, new { amount = 20.00m, method = "cash" });

        // Eight payments of the last 7.50 at once, half cash, half card: one is taken, the others find nothing owed.
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? waiter.PayAsync(billId, new { amount = 7.50m, method = "cash" })
            : waiter.PayAsync(billId, new { amount = 7.50m, method = "card", card_token = SettleFlow.GoodCard })));
        try
        {
            racing.Count(p => p.StatusCode == HttpStatusCode.Created).ShouldBe(1);
            foreach (var lost in racing.Where(p => p.StatusCode != HttpStatusCode.Created))
                (await lost.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBeOneOf("overpayment", "bill_already_paid", "payment_pending");
        }
        finally
        {
            foreach (var response in racing) response.Dispose();
        }

        var bill = await waiter.BillAsync(orderId);
        bill.Text("status").ShouldBe("PAID");
        bill.Money("amount_paid").ShouldBe(27.50m);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_declined_card_is_retried_a_timed_out_charge_is_reconciled_and_a_duplicate_webhook_changes_nothing()
    {
        var (r, waiter, orderId, billId) = await SeatedTableAsync();
        using var _ = r;
        using var __ = waiter;

        // Declined: the payment fails, nothing is owed less; the guest tries another card, which goes through.
        var declined = await waiter.PayOkAsync(billId, new { amount = 10.00m, method = "card", card_token = SettleFlow.DeclinedCard });
        declined.Text("status").ShouldBe("failed");
        declined.Text("failure_reason").ShouldBe("card_declined");
        declined.Text("bill_status").ShouldBe("PENDING");
        declined.Money("balance_due").ShouldBe(27.50m);
        var retried = await waiter.PayOkAsync(billId, new { amount = 10.00m, method = "card", card_token = SettleFlow.GoodCard });
        retried.Text("status").ShouldBe("captured");
        retried.Text("bill_status").ShouldBe("PARTIALLY_PAID");
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.failed", 1)).Count.ShouldBe(1);

        // The provider takes the QR payment of the rest but its answer never comes: the payment stays pending and holds
        // its amount, so nobody can pay it again meanwhile; the reconciler then asks the provider and settles it.
        var lost = await waiter.PayOkAsync(billId, new { method = "qr", card_token = SettleFlow.TimeoutCard, tip = 1.00m });
        lost.Text("status").ShouldBe("pending");
        lost.Text("bill_status").ShouldBe("PARTIALLY_PAID");
        using (var meanwhile = await waiter.PayAsync(billId, new { amount = 1.00m, method = "cash" }))
            await meanwhile.ShouldBeProblemAsync(HttpStatusCode.Conflict, "payment_pending");
        var reconciled = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var payments = await waiter.Client.GetOkAsync($"/billing/bills/{billId}/payments");
            var payment = payments.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == lost.GetProperty("id").GetGuid());
            return payment.Text("status") == "captured" ? payment : null;
        }, TimeSpan.FromSeconds(30), "the reconciler to settle the timed-out payment");
        reconciled.Text("bill_status").ShouldBe("PAID");
        reconciled.Money("amount").ShouldBe(17.50m);

        // The provider's webhook about it comes late, twice: nothing changes. A bad signature is refused.
        var reference = lost.Text("provider_reference");
        foreach (var attempt in new[] { 1, 2 })
        {
            using var webhook = await SettleFlow.SendWebhookAsync(fixture, new { event_id = "evt_1", provider_reference = reference, status = "captured" });
            await webhook.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await webhook.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("captured");
        }
        using (var forged = await SettleFlow.SendWebhookAsync(fixture, new { event_id = "evt_2", provider_reference = reference, status = "failed" }, secret: "not-the-secret"))
            await forged.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var bill = await waiter.BillAsync(orderId);
        bill.Text("status").ShouldBe("PAID");
        bill.Money("amount_paid").ShouldBe(27.50m);
        bill.Money("tip_amount").ShouldBe(1.00m);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.completed", 2)).Count.ShouldBe(2);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_authorized_card_is_captured_once_and_a_webhook_settles_a_capture_whose_answer_was_lost()
    {
        var (r, waiter, orderId, billId) = await SeatedTableAsync();
        using var _ = r;
        using var __ = waiter;

        var held = await waiter.PayOkAsync(billId, new { amount = 7.50m, method = "card", card_token = SettleFlow.GoodCard, capture = false });
        held.Text("status").ShouldBe("authorized");
        held.Text("bill_status").ShouldBe("PENDING");
        var paymentId = held.GetProperty("id").GetGuid();
        var key = Guid.NewGuid().ToString();
        using (var capture = await CaptureAsync(waiter, paymentId, key))
        {
            await capture.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await capture.Content.ReadFromJsonAsync<JsonElement>()).Text("bill_status").ShouldBe("PARTIALLY_PAID");
        }
        using (var again = await CaptureAsync(waiter, paymentId, key))
            await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var second = await CaptureAsync(waiter, paymentId, Guid.NewGuid().ToString()))
            await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "payment_already_captured");

        // An e-wallet authorized, its capture's answer lost: the provider's webhook settles it.
        var wallet = await waiter.PayOkAsync(billId, new { method = "e_wallet", card_token = SettleFlow.CaptureTimeoutCard, capture = false });
        using (var capture = await CaptureAsync(waiter, wallet.GetProperty("id").GetGuid(), null))
            (await capture.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("authorized");
        using (var webhook = await SettleFlow.SendWebhookAsync(fixture, new { event_id = "evt_3", provider_reference = wallet.Text("provider_reference"), status = "captured" }))
        {
            await webhook.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await webhook.Content.ReadFromJsonAsync<JsonElement>()).Text("bill_status").ShouldBe("PAID");
        }
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_cancelled_orders_void_bill_takes_no_payment()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        using (var cancel = await r.Owner.Client.CallAsync(HttpMethod.Patch, $"/orders/{orderId}/status", new { status = "CANCELLED" }))
            await cancel.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await r.Owner.Client.WaitForAsync($"/billing/orders/{orderId}", "status", "VOID");
        using var pay = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{bill.GetProperty("id").GetGuid()}/payments", new { method = "cash" });
        await pay.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_void");
    }

    private static async Task<HttpResponseMessage> CaptureAsync(Person staff, Guid paymentId, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/billing/payments/{paymentId}/capture");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await staff.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
