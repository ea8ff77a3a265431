using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RestMan.Tests.Billing;

/// <summary>
/// Issue 27's fault: the provider times out mid-capture and the billing process is killed; after it restarts, the bill
/// and the payment agree with the provider (the reconciler asks it by the payment's reference), and nothing is charged twice.
/// </summary>
[Trait("Category", "Faults")]
[Collection(ApplicationCollection.Name)]
public sealed class PaymentFaultTests(ApplicationFixture fixture, ITestOutputHelper output)
{
    /// <summary>The simulated provider's card whose charge goes through, then whose answer hangs (Billing:Payments:SimulatedHang, 20 s) and times out.</summary>
    private const string HangingCaptureCard = "4000000000000341";

    [Fact]
    public async Task A_capture_hanging_at_the_provider_when_billing_is_killed_is_reconciled_after_restart_and_charged_once()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        var billId = bill.GetProperty("id").GetGuid();
        var total = bill.Money("total_amount");

        // The card payment is stored pending, then the provider charges it and never answers.
        var inFlight = Task.Run(async () =>
        {
            try
            {
                using var response = await PayAsync(r.Owner.Client, billId, new { method = "card", card_token = HangingCaptureCard }, "hang-1");
                return (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return 0;
            }
        });
        var pending = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var payments = await r.Owner.Client.GetOkAsync($"/billing/bills/{billId}/payments");
            return payments.GetArrayLength() == 1 ? payments[0] : null;
        }, TimeSpan.FromSeconds(10), "the pending payment");
        pending.Text("status").ShouldBe("pending");
        var reference = pending.GetProperty("provider_reference").GetString()!;

        // Billing dies in the middle of the capture, then comes back.
        var clock = Stopwatch.StartNew();
        await fixture.App.KillResourceAsync("billing");
        output.WriteLine($"billing killed {clock.Elapsed.TotalSeconds:0.0} s after the payment showed pending; the request answered {await inFlight}");
        await fixture.App.StartResourceAsync("billing");

        // The provider holds the charge: once, captured.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.App.GetConnectionString("redis")!))
            ((string?)await redis.GetDatabase().StringGetAsync("simulated_provider:charge:" + reference)).ShouldNotBeNull().ShouldContain("|Captured|");

        // After the restart the reconciler asks the provider by reference: the payment is captured, the bill PAID, once.
        var paid = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            using var response = await r.Owner.Client.GetAsync($"/billing/orders/{orderId}");
            if (response.StatusCode != HttpStatusCode.OK) return null;
            var current = await response.Content.ReadFromJsonAsync<JsonElement>();
            return current.Text("status") == "PAID" ? current : null;
        }, TimeSpan.FromSeconds(60), "the bill PAID after billing restarted");
        output.WriteLine($"bill PAID {clock.Elapsed.TotalSeconds:0.0} s after the kill");
        paid.Money("amount_paid").ShouldBe(total);

        var payments = await r.Owner.Client.GetOkAsync($"/billing/bills/{billId}/payments");
        var only = payments.EnumerateArray().ShouldHaveSingleItem();
        only.Text("status").ShouldBe("captured");
        only.Text("provider_reference").ShouldBe(reference);
        payments.EnumerateArray().Where(p => p.Text("status") == "captured").Sum(p => p.Money("amount")).ShouldBe(paid.Money("amount_paid"));

        // The request repeated with its key (the client never had an answer) is that payment, not a second charge.
        using (var replay = await PayAsync(r.Owner.Client, billId, new { method = "card", card_token = HangingCaptureCard }, "hang-1"))
        {
            await replay.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("captured");
        }
        (await SettleFlow.BillEventsAsync(fixture, orderId, "bill.paid", 1)).Count.ShouldBe(1);
        (await SettleFlow.BillEventsAsync(fixture, orderId, "payment.completed", 1)).Count.ShouldBe(1);
    }

    private static async Task<HttpResponseMessage> PayAsync(HttpClient owner, Guid billId, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/billing/bills/{billId}/payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await owner.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
