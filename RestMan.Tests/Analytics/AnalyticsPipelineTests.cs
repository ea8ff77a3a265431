using System.Net;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using static RestMan.Tests.Analytics.AnalyticsFlow;

namespace RestMan.Tests.Analytics;

/// <summary>
/// Real orders through the gateway: Orders, Kitchen and Billing publish the events, Analytics reports them. The kitchen
/// moves its ticket (so both Kitchen's and Orders' status events are on the topic) and each step still counts once.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Analytics")]
public sealed class AnalyticsPipelineTests(ApplicationFixture fixture)
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    [Fact]
    public async Task Orders_placed_cooked_cancelled_and_paid_through_the_gateway_show_in_every_report()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var cooked = await r.Customer.PlaceOrderOkAsync(r.UsualOrder("dine_in"));            // 2 × 12.50 + 7.25 = 32.25
        var cancelled = await r.Customer.PlaceOrderOkAsync(r.UsualOrder("takeaway"));       // 32.25, cancelled by the customer
        var waiting = await r.Customer.PlaceOrderOkAsync(new                                 // 2 × 7.25 = 14.50, still PLACED
        {
            restaurant_id = r.Id,
            order_type = "delivery",
            delivery_address = "2 Via Appia",
            items = new object[] { new { food_id = r.B.Id, quantity = 2 } },
        });

        var cookedId = cooked.GetProperty("id").GetGuid();
        var ticketId = (await r.Kitchen.WaitForTicketAsync(cookedId)).GetProperty("id").GetGuid();
        foreach (var step in new[] { "ACCEPTED", "IN_PROGRESS", "READY", "DELIVERED_TO_SERVICE" })
        {
            using var moved = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = step });
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        await r.Customer.Client.WaitForAsync($"/orders/{cookedId}", "status", "COMPLETED");
        var bill = await r.Owner.Client.WaitForBillAsync(cookedId);
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{cookedId}/finalize", new { payment_method = "card" }))
        {
            await paid.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        using (var cancel = await r.Customer.Client.CallAsync(Patch, $"/orders/{cancelled.GetProperty("id").GetGuid()}/status", new { status = "CANCELLED" }))
        {
            await cancel.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        var deadline = DateTime.UtcNow + Lag;
        var paidAmount = bill.Money("total_amount");
        DateOnly[] days = [.. new[] { cooked, cancelled, waiting }.Select(PlacedOn).Order()];
        var (from, to) = (days[0], days[^1]);
        var year = new DateOnly(from.Year, 1, 1);
        var window = $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";

        await r.Owner.Client.ShouldEventuallyBeAsync<StatusCount>($"/analytics/orders-by-status?{window}",
        [
            new(from, to, "PLACED", 1, 14.50m, 14.50m, 0),
            new(from, to, "COMPLETED", 1, 32.25m, 32.25m, 1),
            new(from, to, "CANCELLED", 1, 32.25m, 32.25m, 0),
        ], deadline);

        await r.Owner.Client.ShouldEventuallyBeAsync<TopFood>($"/analytics/top-foods?period=year&date={from:yyyy-MM-dd}",
        [
            new(year, r.Id, r.B.Id, "Tiramisu", null, 3, 21.75m, 2),
            new(year, r.Id, r.A.Id, "Margherita", null, 2, 25.00m, 1),
        ], deadline);

        await r.Owner.Client.ShouldEventuallyBeAsync<RevenueByOrderType>($"/analytics/revenue?period=year&{window}",
        [
            new(year, "dine_in", 1, 32.25m, 1, paidAmount),
            new(year, "delivery", 1, 14.50m, 0, 0m),
        ], deadline);
    }

    private static DateOnly PlacedOn(JsonElement order) => DateOnly.FromDateTime(order.GetProperty("placed_at").GetDateTimeOffset().UtcDateTime);
}
