using System.Net;
using System.Net.Http.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Ordering;

/// <summary>
/// Issue 10's acceptance: Kafka away for 10 s while customers keep ordering loses no order event — every order placed
/// gets its kitchen ticket and its bill once the brokers are back (the outbox holds the events meanwhile).
/// </summary>
[Trait("Category", "Ordering")]
[Collection(ApplicationCollection.Name)]
public sealed class KafkaOutageTests(ApplicationFixture fixture)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Orders_placed_while_the_kafka_brokers_are_down_for_10_s_all_reach_the_kitchen_and_billing()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        List<Guid> orders;

        await fixture.App.SetKafkaBrokersAsync(up: false);
        try
        {
            orders = await PlaceOrdersForAsync(r, Outage);
        }
        finally
        {
            await fixture.App.SetKafkaBrokersAsync(up: true);
        }

        await AllReachKitchenAndBillingAsync(r, orders);
    }

    [Fact]
    public async Task Orders_placed_while_the_kafka_resource_is_stopped_for_10_s_all_reach_the_kitchen_and_billing()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var before = await PlaceOrdersForAsync(r, TimeSpan.FromSeconds(2));
        List<Guid> during;

        // As the dashboard's Stop button does: the dev broker process ends (and comes back empty but for its topics).
        await fixture.App.StopResourceAsync("kafka");
        try
        {
            during = await PlaceOrdersForAsync(r, Outage);
        }
        finally
        {
            await fixture.App.StartResourceAsync("kafka");
        }
        var after = await PlaceOrdersForAsync(r, TimeSpan.FromSeconds(2));

        await AllReachKitchenAndBillingAsync(r, [.. before, .. during, .. after]);
    }

    private static async Task<List<Guid>> PlaceOrdersForAsync(Restaurant r, TimeSpan duration)
    {
        var orders = new List<Guid>();
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            using var placed = await r.Customer.PlaceOrderAsync(r.UsualOrder());
            await placed.ShouldHaveStatusAsync(HttpStatusCode.Created);
            orders.Add((await placed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        orders.Count.ShouldBeGreaterThan(2);
        return orders;
    }

    private static async Task AllReachKitchenAndBillingAsync(Restaurant r, IReadOnlyList<Guid> orders)
    {
        foreach (var orderId in orders)
        {
            (await r.Kitchen.WaitForTicketAsync(orderId, Recovery)).GetProperty("order_id").GetGuid().ShouldBe(orderId);
            (await OrderingFlow.EventuallyAsync<System.Text.Json.JsonElement>(async () =>
            {
                using var response = await r.Customer.Client.GetAsync($"/billing/orders/{orderId}");
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
                return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            }, Recovery, $"the bill of order {orderId}")).Text("status").ShouldBe("PENDING");
        }
    }
}
