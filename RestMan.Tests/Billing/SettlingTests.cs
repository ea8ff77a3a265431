using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Billing;

/// <summary>
/// Issue 27's acceptance and its rules: a table's bill split by items or evenly, each part paid on its own by any
/// method, discount codes that are never over-used, the restaurant's own tax rate and service charge.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Billing")]
public sealed class SettlingTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_table_of_four_split_by_items_pays_by_two_cards_one_declined_then_retried_and_cash_with_a_tip_after_a_ten_percent_code()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var code = await CreateCodeAsync(r, new { code = "TEN", kind = "percent", value = 10, max_uses = 5 });
        code.GetProperty("uses").GetInt32().ShouldBe(0);

        // Four at table 7: a Margherita and a Tiramisu, then a Margherita and two Tiramisu.
        var table = await r.AddTableAsync(7, 4, "Main room");
        var order = await waiter.OpenTableOkAsync(table, 4, [FloorFlow.Line(r.A, 1), FloorFlow.Line(r.B, 1)]);
        var orderId = order.GetProperty("id").GetGuid();
        await waiter.AddRoundOkAsync(orderId, [FloorFlow.Line(r.A, 1), FloorFlow.Line(r.B, 2)]);
        var bill = await waiter.BillOfAsync(orderId, 46.75m);
        var billId = bill.GetProperty("id").GetGuid();
        bill.GetProperty("covers").GetInt32().ShouldBe(4);

        // The 10 % code comes off before tax: 46.75 − 4.68 = 42.07, + 4.21 tax = 46.28.
        var discounted = await ApplyDiscountOkAsync(waiter.Client, billId, new { code = "ten" });
        discounted.Money("discount_amount").ShouldBe(4.68m);
        discounted.Money("tax_amount").ShouldBe(4.21m);
        discounted.Money("total_amount").ShouldBe(46.28m);
        discounted.Text("discount_code").ShouldBe("TEN");
        using (var twice = await waiter.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/discount", new { code = "TEN" }))
            await twice.ShouldBeProblemAsync(HttpStatusCode.Conflict, "discount_already_applied");

        // Split by items: the couple pays lines 1 and 2, the third guest line 3, the fourth line 4 (two Tiramisu).
        var split = await SplitOkAsync(waiter, billId, new { parts = new[] { new { line_nos = new[] { 1, 2 } }, new { line_nos = new[] { 3 } }, new { line_nos = new[] { 4 } } } });
        split.Text("split_kind").ShouldBe("items");
        split.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("line_no").GetInt32(), l.Text("food_name"), l.Money("line_total")))
            .ShouldBe([(1, r.A.Name, 12.50m), (2, r.B.Name, 7.25m), (3, r.A.Name, 12.50m), (4, r.B.Name, 14.50m)]);
        var parts = split.GetProperty("parts").EnumerateArray().Select(p => p.Money("amount")).ToArray();
        parts.ShouldBe([19.55m, 12.37m, 14.36m]);
        parts.Sum().ShouldBe(46.28m);

        // Part 1: the first card is declined, the second goes through.
        var declined = await waiter.PayOkAsync(billId, new { part = 1, method = "card", card_token = SettleFlow.DeclinedCard });
        declined.Text("status").ShouldBe("failed");
        var retried = await waiter.PayOkAsync(billId, new { part = 1, method = "card", card_token = SettleFlow.GoodCard });
        retried.Text("status").ShouldBe("captured");
        retried.Money("amount").ShouldBe(19.55m);
        retried.Text("bill_status").ShouldBe("PARTIALLY_PAID");
        using (var again = await waiter.PayAsync(billId, new { part = 1, method = "cash" }))
            await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "part_already_paid");

        // Part 2 by card; part 3 in cash with a 3.00 tip (and not a cent more than its share).
        (await waiter.PayOkAsync(billId, new { part = 2, method = "card", card_token = SettleFlow.GoodCard })).Text("status").ShouldBe("captured");
        using (var over = await waiter.PayAsync(billId, new { part = 3, amount = 14.37m, method = "cash" }))
            await over.ShouldBeProblemAsync(HttpStatusCode.Conflict, "overpayment");
        var cash = await waiter.PayOkAsync(billId, new { part = 3, method = "cash", tip = 3.00m });
        cash.Text("bill_status").ShouldBe("PAID");

        // PAID once; the captured payments add up to the total plus the tip, to the cent.
        var paid = await waiter.BillAsync(orderId);
        paid.Text("status").ShouldBe("PAID");
        paid.Money("amount_paid").ShouldBe(46.28m);
        paid.Money("tip_amount").ShouldBe(3.00m);
        var payments = (await waiter.Client.GetOkAsync($"/billing/bills/{billId}/payments")).EnumerateArray().ToArray();
        payments.Select(p => p.Text("status")).ShouldBe(["failed", "captured", "captured", "captured"]);
        var captured = payments.Where(p => p.Text("status") == "captured").ToArray();
        captured.Sum(p => p.Money("amount") + p.Money("tip")).ShouldBe(paid.Money("total_amount") + 3.00m);
        (await waiter.Client.GetOkAsync($"/billing/bills/{billId}/split")).GetProperty("parts").EnumerateArray()
            .Select(p => p.Text("status")).ShouldBe(["PAID", "PAID", "PAID"]);

        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.completed", 3)).Count.ShouldBe(3);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.failed", 1)).Count.ShouldBe(1);
        var applied = await SettleFlow.BillEventsAsync(fixture, orderId, "discount.applied", 1);
        applied.Count.ShouldBe(1);
        applied[0].Data.Money("amount").ShouldBe(4.68m);
        await waiter.Client.WaitForAsync($"/tables/{table}", "status", "NEEDS_CLEANING");
        (await ListCodesAsync(r)).Single().GetProperty("uses").GetInt32().ShouldBe(1);

        // The owner refunds 5.00 of the first card's 19.55 (the cold Tiramisu): back through the provider to that card.
        var cardPayment = retried.GetProperty("id").GetGuid();
        using (var waiterRefund = await waiter.Client.RefundAsync(billId, new { amount = 5.00m }))
            await waiterRefund.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var refund = await r.Owner.Client.RefundOkAsync(billId, new { amount = 5.00m, payment_id = cardPayment, reason = "cold Tiramisu" }, "refund-1");
        refund.Text("status").ShouldBe("issued");
        refund.Money("amount_issued").ShouldBe(5.00m);
        refund.Text("bill_status").ShouldBe("PARTIALLY_REFUNDED");
        refund.GetProperty("payments").EnumerateArray().Select(p => (p.GetProperty("payment_id").GetGuid(), p.Text("method"), p.Money("amount"), p.Text("status")))
            .ShouldBe([(cardPayment, "card", 5.00m, "refunded")]);
        using (var replay = await r.Owner.Client.RefundAsync(billId, new { amount = 5.00m, payment_id = cardPayment, reason = "cold Tiramisu" }, "refund-1"))
        {
            await replay.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(refund.GetProperty("id").GetGuid());
        }
        // Never more than was paid: 46.28 − 5.00 = 41.28 is left, of which the first card has 14.55.
        using (var tooMuch = await r.Owner.Client.RefundAsync(billId, new { amount = 41.29m }))
            await tooMuch.ShouldBeProblemAsync(HttpStatusCode.Conflict, "refund_exceeds_paid");
        using (var tooMuchOfTheCard = await r.Owner.Client.RefundAsync(billId, new { amount = 14.56m, payment_id = cardPayment }))
            await tooMuchOfTheCard.ShouldBeProblemAsync(HttpStatusCode.Conflict, "refund_exceeds_paid");
        var refunded = await waiter.BillAsync(orderId);
        refunded.Text("status").ShouldBe("PARTIALLY_REFUNDED");
        refunded.Money("amount_refunded").ShouldBe(5.00m);
        (await r.Owner.Client.GetOkAsync($"/billing/bills/{billId}/refunds")).GetArrayLength().ShouldBe(1);
        var issued = await SettleFlow.BillEventsAsync(fixture, orderId, "refund.issued", 1);
        issued.Count.ShouldBe(1);
        issued[0].Data.Money("amount").ShouldBe(5.00m);

        // ClickHouse has the payment-method mix and the tips, to the cent: two cards, one cash with its tip; and the refund.
        var mix = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await r.Owner.Client.GetOkAsync($"/analytics/payments?restaurant_id={r.Id}");
            return rows.EnumerateArray().Sum(x => x.GetProperty("payments").GetInt64()) == 3
                && rows.EnumerateArray().Sum(x => x.Money("refunds")) == 5.00m ? rows : null;
        }, TimeSpan.FromSeconds(30), "the payments and the refund in ClickHouse");
        mix.EnumerateArray().Select(x => (x.Text("method"), x.GetProperty("payments").GetInt64(), x.Money("amount"), x.Money("tips")))
            .ShouldBe([("card", 2L, 31.92m, 0m), ("cash", 1L, 14.36m, 3.00m)]);
        mix.EnumerateArray().Select(x => (x.Text("method"), x.Money("refunds"), x.Money("net_amount")))
            .ShouldBe([("card", 5.00m, 26.92m), ("cash", 0m, 14.36m)]);
        // The net revenue agrees with the bill to the cent: what was paid less what went back.
        var net = mix.EnumerateArray().Sum(x => x.Money("net_amount"));
        net.ShouldBe(41.28m);
        net.ShouldBe(refunded.Money("amount_paid") - refunded.Money("amount_refunded"));

        // The receipt says the same to the cent: the restaurant, the order number, lines, discount, tax, tips, payments, refund.
        var restaurantName = (await r.Owner.Client.GetOkAsync($"/restaurants/{r.Id}")).Text("name");
        using (var html = await waiter.Client.GetAsync($"/billing/bills/{billId}/receipt"))
        {
            await html.ShouldHaveStatusAsync(HttpStatusCode.OK);
            html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            var page = await html.Content.ReadAsStringAsync();
            page.ShouldContain(System.Net.WebUtility.HtmlEncode(restaurantName));
            page.ShouldContain(System.Net.WebUtility.HtmlEncode(paid.Text("order_number")));
            page.ShouldContain("@media print");
            foreach (var expected in new[] { "1 × " + r.A.Name, "2 × " + r.B.Name, "Discount (TEN)", "-4.68", "4.21", "46.28", "3.00", "-5.00" })
                page.ShouldContain(System.Net.WebUtility.HtmlEncode(expected));
            page.ShouldContain($"<tr class=\"total\"><td>Net paid</td><td class=\"amount\">{net:0.00}</td></tr>");
        }
        foreach (var pdfRequest in new[] { $"/billing/bills/{billId}/receipt?format=pdf", $"/billing/bills/{billId}/receipt" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, pdfRequest);
            request.Headers.Accept.ParseAdd("application/pdf");
            using var pdf = await r.Owner.Client.SendAsync(request);
            await pdf.ShouldHaveStatusAsync(HttpStatusCode.OK);
            pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
            System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]).ShouldBe("%PDF-");
        }
    }

    [Fact]
    public async Task Two_refunds_racing_for_more_than_was_paid_exactly_one_is_issued()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        var billId = bill.GetProperty("id").GetGuid();
        var total = bill.Money("total_amount");
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/payments", new { method = "card", card_token = SettleFlow.GoodCard }))
        {
            await paid.ShouldHaveStatusAsync(HttpStatusCode.Created);
            (await paid.Content.ReadFromJsonAsync<JsonElement>()).Text("bill_status").ShouldBe("PAID");
        }

        // Each asks for 60 % of what was paid: together more than all of it.
        var each = Math.Round(total * 0.6m, 2);
        var answers = await Task.WhenAll(Enumerable.Range(1, 2).Select(async i =>
        {
            using var response = await r.Owner.Client.RefundAsync(billId, new { amount = each, reason = "race" }, $"race-{i}");
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));
        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        var refused = answers.Single(a => a.StatusCode != HttpStatusCode.Created);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        refused.Body.Text("code").ShouldBe("refund_exceeds_paid");

        var after = await r.Owner.Client.GetOkAsync($"/billing/orders/{orderId}");
        after.Money("amount_refunded").ShouldBe(each);
        after.Text("status").ShouldBe("PARTIALLY_REFUNDED");
        (await SettleFlow.BillEventsAsync(fixture, orderId, "refund.issued", 1)).Count.ShouldBe(1);

        // The rest, left out: all that is left goes back and the bill is REFUNDED; then nothing is left.
        var rest = await r.Owner.Client.RefundOkAsync(billId, new { reason = "the rest" });
        rest.Money("amount_issued").ShouldBe(total - each);
        rest.Text("bill_status").ShouldBe("REFUNDED");
        (await r.Owner.Client.GetOkAsync($"/billing/bills/{billId}/payments")).EnumerateArray().Single().Text("status").ShouldBe("refunded");
        using (var nothing = await r.Owner.Client.RefundAsync(billId, new { amount = 0.01m }))
            await nothing.ShouldBeProblemAsync(HttpStatusCode.Conflict, "nothing_to_refund");
    }

    [Fact]
    public async Task Fifty_tables_applying_a_code_limited_to_ten_at_once_get_exactly_ten_discounts()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await CreateCodeAsync(r, new { code = "TENOFF", kind = "fixed", value = 1.00m, max_uses = 10 });
        var orders = new List<Guid>();
        foreach (var batch in Enumerable.Range(0, 5))
            orders.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
                (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid())));
        var bills = await Task.WhenAll(orders.Select(async o => (await r.Owner.Client.WaitForBillAsync(o)).GetProperty("id").GetGuid()));

        var answers = await Task.WhenAll(bills.Select(async b =>
        {
            using var response = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{b}/discount", new { code = "TENOFF" });
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(10);
        answers.Where(a => a.StatusCode != HttpStatusCode.OK).Select(a => (a.StatusCode, a.Body.Text("code")))
            .ShouldAllBe(a => a.StatusCode == HttpStatusCode.Conflict && a.Item2 == "discount_code_used_up");
        (await ListCodesAsync(r)).Single().GetProperty("uses").GetInt32().ShouldBe(10);
        var discounted = 0;
        foreach (var order in orders)
            if ((await r.Owner.Client.GetOkAsync($"/billing/orders/{order}")).Money("discount_amount") == 1.00m) discounted++;
        discounted.ShouldBe(10);
    }

    [Fact]
    public async Task Codes_keep_their_window_and_minimum_spend_and_a_staff_discount_needs_a_reason()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await CreateCodeAsync(r, new { code = "OLD", kind = "percent", value = 20, valid_until = DateTimeOffset.UtcNow.AddDays(-1) });
        await CreateCodeAsync(r, new { code = "LATER", kind = "percent", value = 20, valid_from = DateTimeOffset.UtcNow.AddDays(1) });
        await CreateCodeAsync(r, new { code = "BIGSPEND", kind = "fixed", value = 5, min_spend = 100 });
        using (var taken = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/restaurants/{r.Id}/discount-codes", new { code = "old", kind = "fixed", value = 1 }))
            await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict, "discount_code_taken");
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        var billId = bill.GetProperty("id").GetGuid();

        foreach (var (code, refused) in new[] { ("OLD", "discount_code_expired"), ("LATER", "discount_code_not_yet_valid"), ("BIGSPEND", "discount_minimum_spend") })
        {
            using var response = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/discount", new { code });
            await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, refused);
        }
        using (var unknown = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/discount", new { code = "NOPE" }))
            await unknown.ShouldNameFieldAsync("code");
        using (var noReason = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/discount", new { percent = 15 }))
            await noReason.ShouldNameFieldAsync("reason");

        // The manager comps 5.00 for a long wait: before tax, on the bill with its reason.
        var subtotal = bill.Money("subtotal");
        var comped = await ApplyDiscountOkAsync(r.Owner.Client, billId, new { amount = 5.00m, reason = "Long wait" });
        comped.Money("discount_amount").ShouldBe(5.00m);
        comped.Text("discount_reason").ShouldBe("Long wait");
        comped.Money("tax_amount").ShouldBe(Math.Round((subtotal - 5.00m) * 0.10m, 2, MidpointRounding.AwayFromZero));
        comped.Money("total_amount").ShouldBe(subtotal - 5.00m + comped.Money("tax_amount"));
    }

    [Fact]
    public async Task The_restaurants_own_tax_and_service_charge_for_large_parties_and_an_even_split_paid_three_ways()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var defaults = await r.Owner.Client.GetOkAsync($"/billing/restaurants/{r.Id}/charges");
        defaults.Money("tax_rate").ShouldBe(0.10m);
        defaults.Money("service_charge_rate").ShouldBe(0m);
        using (var set = await r.Owner.Client.CallAsync(HttpMethod.Put, $"/billing/restaurants/{r.Id}/charges",
            new { tax_rate = 0.08m, service_charge_rate = 0.125m, service_charge_min_covers = 6 }))
            await set.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var bad = await r.Owner.Client.CallAsync(HttpMethod.Put, $"/billing/restaurants/{r.Id}/charges", new { tax_rate = 1.5m }))
            await bad.ShouldNameFieldAsync("tax_rate");

        // A party of six pays the service charge, apart from the tax: 25.00 + 3.13 service + 2.00 tax.
        var big = await waiter.OpenTableOkAsync(await r.AddTableAsync(1, 8, "Main room"), 6, [FloorFlow.Line(r.A, 2)]);
        var bigBill = await waiter.BillOfAsync(big.GetProperty("id").GetGuid(), 25.00m);
        bigBill.Money("service_charge_amount").ShouldBe(3.13m);
        bigBill.Money("service_charge_rate").ShouldBe(0.125m);
        bigBill.Money("tax_amount").ShouldBe(2.00m);
        bigBill.Money("total_amount").ShouldBe(30.13m);

        // A couple does not.
        var small = await waiter.OpenTableOkAsync(await r.AddTableAsync(2, 2, "Terrace"), 2, [FloorFlow.Line(r.A, 2)]);
        var smallBill = await waiter.BillOfAsync(small.GetProperty("id").GetGuid(), 25.00m);
        smallBill.Money("service_charge_amount").ShouldBe(0m);
        smallBill.Money("total_amount").ShouldBe(27.00m);

        // The six split evenly in three: 10.05, 10.04, 10.04; each part paid its own way.
        var billId = bigBill.GetProperty("id").GetGuid();
        var split = await SplitOkAsync(waiter, billId, new { guests = 3 });
        split.GetProperty("parts").EnumerateArray().Select(p => p.Money("amount")).ShouldBe([10.05m, 10.04m, 10.04m]);
        (await waiter.PayOkAsync(billId, new { part = 1, method = "qr" })).Text("status").ShouldBe("captured");
        (await waiter.PayOkAsync(billId, new { part = 2, method = "e_wallet", tip = 1.00m })).Text("status").ShouldBe("captured");
        using (var resplit = await waiter.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/split", new { guests = 2 }))
            await resplit.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_has_payments");
        var last = await waiter.PayOkAsync(billId, new { part = 3, method = "cash" });
        last.Text("bill_status").ShouldBe("PAID");
        (await waiter.BillAsync(big.GetProperty("id").GetGuid())).Money("amount_paid").ShouldBe(30.13m);

        // Another restaurant's bills keep the configured 10 %.
        using var other = await Restaurant.OpenAsync(fixture);
        var otherOrder = (await other.Customer.PlaceOrderOkAsync(other.UsualOrder())).GetProperty("id").GetGuid();
        var otherBill = await other.Owner.Client.WaitForBillAsync(otherOrder);
        otherBill.Money("tax_rate").ShouldBe(0.10m);
        otherBill.Money("service_charge_amount").ShouldBe(0m);
    }

    private static async Task<JsonElement> CreateCodeAsync(Restaurant r, object body)
    {
        using var created = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/restaurants/{r.Id}/discount-codes", body);
        await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement[]> ListCodesAsync(Restaurant r) =>
        (await r.Owner.Client.GetOkAsync($"/billing/restaurants/{r.Id}/discount-codes")).EnumerateArray().ToArray();

    private static async Task<JsonElement> ApplyDiscountOkAsync(HttpClient staff, Guid billId, object body)
    {
        using var response = await staff.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/discount", body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> SplitOkAsync(Person staff, Guid billId, object body)
    {
        using var response = await staff.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/split", body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
