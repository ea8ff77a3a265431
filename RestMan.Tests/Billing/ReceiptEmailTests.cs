using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Billing;

/// <summary>Issue 27: a paid bill's receipt emailed on request — HTML, the PDF attached, once per Idempotency-Key.</summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Billing")]
public sealed class ReceiptEmailTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_paid_bills_receipt_is_emailed_once_per_key_with_the_order_number_the_restaurant_and_the_pdf_attached()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var billId = (await r.Owner.Client.WaitForBillAsync(orderId)).GetProperty("id").GetGuid();
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{billId}/payments", new { method = "cash", tip = 2.00m }))
            await paid.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var bill = await r.Owner.Client.GetOkAsync($"/billing/orders/{orderId}");
        var orderNumber = bill.Text("order_number");
        var restaurantName = (await r.Owner.Client.GetOkAsync($"/restaurants/{r.Id}")).Text("name");

        // An address that is not one is a 400 naming the field.
        foreach (var wrong in new object[] { new { email = "not-an-address" }, new { } })
        {
            using var refused = await EmailAsync(r.Owner.Client, billId, wrong, "bad");
            (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
        }

        var guest = AuthFlow.NewEmail();
        Guid queuedId;
        using (var queued = await EmailAsync(r.Owner.Client, billId, new { email = guest }, "receipt-1"))
        {
            await queued.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
            var body = await queued.Content.ReadFromJsonAsync<JsonElement>();
            body.Text("email").ShouldBe(guest);
            queuedId = body.GetProperty("id").GetGuid();
        }
        // The same request again (a double tap, a retry after a lost answer) queues nothing; the key with another address is refused.
        using (var again = await EmailAsync(r.Owner.Client, billId, new { email = guest }, "receipt-1"))
        {
            await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(queuedId);
        }
        using (var reused = await EmailAsync(r.Owner.Client, billId, new { email = AuthFlow.NewEmail() }, "receipt-1"))
            await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        var mail = await OrderingFlow.WaitForMailAsync(fixture, guest, $"Your receipt from {restaurantName} — Order {orderNumber}");
        mail.Html.ShouldNotBeNull();
        foreach (var expected in new[] { restaurantName, orderNumber, "2 × " + r.A.Name, "1 × " + r.B.Name, "Tips", "2.00", bill.Money("total_amount").ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) })
            mail.Html.ShouldContain(WebUtility.HtmlEncode(expected));
        mail.Text.ShouldContain(orderNumber);
        var pdf = mail.Attachments.ShouldNotBeNull().ShouldHaveSingleItem();
        pdf.FileName.ShouldBe($"receipt-{orderNumber}.pdf");
        pdf.ContentType.ShouldBe("application/pdf");
        pdf.Size.ShouldBeGreaterThan(1000);

        // Sent once: the repeated request added no second email.
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await OrderingFlow.MailboxAsync(fixture, guest)).Count.ShouldBe(1);
        using (var status = await EmailAsync(r.Owner.Client, billId, new { email = guest }, "receipt-1"))
            (await status.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("sent");

        // The customer cannot mail anyone a restaurant's receipt.
        using (var customer = await EmailAsync(r.Customer.Client, billId, new { email = guest }, "receipt-2"))
            customer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<HttpResponseMessage> EmailAsync(HttpClient client, Guid billId, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/billing/bills/{billId}/receipt/email") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
