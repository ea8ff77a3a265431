using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Billing;

/// <summary>What the waiter or the owner does to settle a table's bill, through the gateway.</summary>
public static class SettleFlow
{
    /// <summary>The simulated provider's test cards (README, "Settling the bill").</summary>
    public const string GoodCard = "4242424242424242", DeclinedCard = "4000000000000002", TimeoutCard = "4000000000000119",
        CaptureTimeoutCard = "4000000000000259";

    /// <summary>The simulated provider's webhook secret, Billing's default.</summary>
    public const string WebhookSecret = "restman-simulated-provider-webhook-secret";

    public static async Task<HttpResponseMessage> PayAsync(this Person staff, Guid billId, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/billing/bills/{billId}/payments") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await staff.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<JsonElement> PayOkAsync(this Person staff, Guid billId, object body, string? key = null)
    {
        using var response = await staff.PayAsync(billId, body, key);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The owner's refund of (part of) a bill.</summary>
    public static async Task<HttpResponseMessage> RefundAsync(this HttpClient owner, Guid billId, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/billing/bills/{billId}/refunds") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await owner.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<JsonElement> RefundOkAsync(this HttpClient owner, Guid billId, object body, string? key = null)
    {
        using var response = await owner.RefundAsync(billId, body, key);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The bill of a table's order once it shows <paramref name="subtotal"/> (the rounds reached Billing).</summary>
    public static Task<JsonElement> BillOfAsync(this Person staff, Guid orderId, decimal subtotal) =>
        OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var bill = await staff.Client.WaitForBillAsync(orderId);
            return bill.Money("subtotal") == subtotal ? bill : null;
        }, OrderingFlow.EventDeadline, $"the bill of order {orderId} at {subtotal}");

    public static Task<JsonElement> BillAsync(this Person staff, Guid orderId) => staff.Client.GetOkAsync($"/billing/orders/{orderId}");

    /// <summary>The provider's webhook, signed with <paramref name="secret"/>.</summary>
    public static async Task<HttpResponseMessage> SendWebhookAsync(ApplicationFixture fixture, object body, string secret = WebhookSecret)
    {
        var json = JsonSerializer.Serialize(body);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(json)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/webhook") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Payment-Signature", signature);
        using var gateway = fixture.CreateGatewayClient();
        var response = await gateway.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The bill events of one order on bill.events, once <paramref name="expected"/> of that type came and a duplicate would have shown.</summary>
    public static Task<IReadOnlyList<LoggedEvent>> BillEventsAsync(ApplicationFixture fixture, Guid orderId, string eventType, int expected) =>
        TopicReader.ReadAsync(fixture.App.GetConnectionString("kafka"), "bill.events",
            e => e.EventType == eventType && e.IsAbout("order_id", orderId), expected, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3));
}
