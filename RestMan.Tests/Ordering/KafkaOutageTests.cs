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
        var orders = new List<Guid>();

        await fixture.App.SetKafkaBrokersAsync(up: false);
        try
        {
            var until = DateTime.UtcNow + Outage;
            while (DateTime.UtcNow < until)
            {
                using var placed = await r.Customer.PlaceOrderAsync(r.UsualOrder());
                await placed.ShouldHaveStatusAsync(HttpStatusCode.Created);
                orders.Add((await placed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        finally
        {
            await fixture.App.SetKafkaBrokersAsync(up: true);
        }

        orders.Count.ShouldBeGreaterThan(5);
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
