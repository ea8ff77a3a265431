using RestMan.Messaging.IntegrationEvents;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;
using static RestMan.Tests.Analytics.AnalyticsFlow;

namespace RestMan.Tests.Analytics;

/// <summary>
/// Reports over a known set of events: restaurants, categories and foods made through the gateway (so ownership and
/// menu events are real), order, status and payment events published to Kafka as Orders, Kitchen and Billing would.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Analytics")]
public sealed class AnalyticsReportTests(ApplicationFixture fixture) : IDisposable
{
    private static readonly DateOnly March14 = new(2025, 3, 14);
    private static readonly DateOnly March20 = new(2025, 3, 20);
    private static readonly DateOnly February10 = new(2025, 2, 10);
    private static readonly DateOnly February = new(2025, 2, 1);
    private static readonly DateOnly March = new(2025, 3, 1);
    private static readonly DateOnly Year2025 = new(2025, 1, 1);

    private readonly EventStream _events = new(fixture.App.GetConnectionString("kafka"));

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task Every_report_shows_the_exact_figures_of_a_known_set_of_orders_within_five_seconds()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        using var rival = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var trattoria = await owner.CreateRestaurantAsync();
        var pokeBar = await owner.CreateRestaurantAsync();
        var diner = await rival.CreateRestaurantAsync();
        var pizzas = await owner.CreateCategoryAsync(trattoria, "Pizzas");
        var drinks = await owner.CreateCategoryAsync(trattoria, "Drinks");
        var bowls = await owner.CreateCategoryAsync(pokeBar, "Bowls");
        var margherita = await owner.CreateDishAsync(trattoria, "Margherita", 8.50m, pizzas);
        var diavola = await owner.CreateDishAsync(trattoria, "Diavola", 10.00m, pizzas);
        var cola = await owner.CreateDishAsync(trattoria, "Cola", 2.50m, drinks);
        var poke = await owner.CreateDishAsync(pokeBar, "Salmon poke", 12.00m, bowls);
        var water = await owner.CreateDishAsync(pokeBar, "Water", 1.50m);
        var burger = await rival.CreateDishAsync(diner, "Burger", 10.00m);

        var o1 = Order(trattoria, "dine_in", At(March14, 10), (margherita, 2), (cola, 2));    // 22.00, completed, paid
        var o2 = Order(trattoria, "takeaway", At(March14, 12), (diavola, 1), (margherita, 1)); // 18.50, accepted
        var o3 = Order(trattoria, "dine_in", At(March20, 19), (margherita, 3));               // 25.50, cancelled
        var o4 = Order(pokeBar, "takeaway", At(March14, 13), (poke, 2), (water, 1));          // 25.50, ready, paid
        var o5 = Order(pokeBar, "dine_in", At(February10, 9), (poke, 1));                     // 12.00, placed
        var o6 = Order(diner, "dine_in", At(March14, 11), (burger, 5));                       // the rival's
        var o7 = Order(pokeBar, "delivery", At(March20, 20), (poke, 1));                      // 12.00, completed, paid
        foreach (var order in new[] { o1, o2, o3, o4, o5, o6, o7 })
        {
            await _events.PublishAsync(order, "orders");
        }

        await _events.MoveAsync(o1, "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED");
        await _events.MoveAsync(o2, "ACCEPTED");
        await _events.MoveAsync(o3, "CANCELLED");
        await _events.MoveAsync(o4, "ACCEPTED", "IN_PROGRESS", "READY");
        await _events.MoveAsync(o6, "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED");
        await _events.MoveAsync(o7, "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED");
        // The kitchen's ticket steps are its own events; an order's status is what Orders says it is.
        await _events.PublishAsync(KitchenTicketStep.Create<KitchenTicketDelivered>(Guid.NewGuid(), o2.OrderId, o2.RestaurantId, 1, false, "DELIVERED_TO_SERVICE",
            "DELIVERED_TO_SERVICE", null, At(March14, 12).AddMinutes(30)), "kitchen");
        await _events.PublishAsync(Paid(o1, 24.20m, "card", At(March14, 11)), "billing");
        await _events.PublishAsync(Paid(o4, 28.05m, "cash", At(March14, 14)), "billing");
        await _events.PublishAsync(Paid(o6, 55.00m, "card", At(March14, 12)), "billing");
        await _events.PublishAsync(Paid(o7, 13.20m, "upi", At(March20, 21)), "billing");
        var deadline = DateTime.UtcNow + Lag;

        var client = owner.Client;
        var marchEnd = new DateOnly(2025, 3, 31);
        await client.ShouldEventuallyBeAsync<StatusCount>("/analytics/orders-by-status?from=2025-02-01&to=2025-03-31",
        [
            new(February, marchEnd, "PLACED", 1, 12.00m, 12.00m, 0),
            new(February, marchEnd, "ACCEPTED", 1, 18.50m, 18.50m, 0),
            new(February, marchEnd, "READY", 1, 25.50m, 25.50m, 1),
            new(February, marchEnd, "COMPLETED", 2, 34.00m, 17.00m, 2),
            new(February, marchEnd, "CANCELLED", 1, 25.50m, 25.50m, 0),
        ], deadline);

        await client.ShouldEventuallyBeAsync<TopFood>("/analytics/top-foods?period=day&date=2025-03-14",
        [
            new(March14, trattoria, margherita.Id, "Margherita", "Pizzas", 3, 25.50m, 2),
            new(March14, pokeBar, poke.Id, "Salmon poke", "Bowls", 2, 24.00m, 1),
            new(March14, trattoria, cola.Id, "Cola", "Drinks", 2, 5.00m, 1),
            new(March14, trattoria, diavola.Id, "Diavola", "Pizzas", 1, 10.00m, 1),
            new(March14, pokeBar, water.Id, "Water", null, 1, 1.50m, 1),
        ], deadline);

        // The cancelled order's three Margheritas are not counted.
        await client.ShouldEventuallyBeAsync<TopFood>("/analytics/top-foods?period=month&date=2025-03-20",
        [
            new(March, pokeBar, poke.Id, "Salmon poke", "Bowls", 3, 36.00m, 2),
            new(March, trattoria, margherita.Id, "Margherita", "Pizzas", 3, 25.50m, 2),
            new(March, trattoria, cola.Id, "Cola", "Drinks", 2, 5.00m, 1),
            new(March, trattoria, diavola.Id, "Diavola", "Pizzas", 1, 10.00m, 1),
            new(March, pokeBar, water.Id, "Water", null, 1, 1.50m, 1),
        ], deadline);

        await client.ShouldEventuallyBeAsync<TopFood>("/analytics/top-foods?period=year&date=2025-07-01&limit=2",
        [
            new(Year2025, pokeBar, poke.Id, "Salmon poke", "Bowls", 4, 48.00m, 3),
            new(Year2025, trattoria, margherita.Id, "Margherita", "Pizzas", 3, 25.50m, 2),
        ], deadline);

        await client.ShouldEventuallyBeAsync<TopFood>($"/analytics/top-foods?date=2025-03-14&restaurant_id={pokeBar}",
        [
            new(March14, pokeBar, poke.Id, "Salmon poke", "Bowls", 2, 24.00m, 1),
            new(March14, pokeBar, water.Id, "Water", null, 1, 1.50m, 1),
        ], deadline);

        await client.ShouldEventuallyBeAsync<RevenueByOrderType>("/analytics/revenue?period=month&group_by=order_type&from=2025-01-01&to=2025-12-31",
        [
            new(February, "dine_in", 1, 12.00m, 0, 0m),
            new(March, "takeaway", 2, 44.00m, 1, 28.05m),
            new(March, "dine_in", 1, 22.00m, 1, 24.20m),
            new(March, "delivery", 1, 12.00m, 1, 13.20m),
        ], deadline);

        await client.ShouldEventuallyBeAsync<RevenueByRestaurant>("/analytics/revenue?period=day&group_by=restaurant&from=2025-03-01&to=2025-03-31",
        [
            new(March14, trattoria, 2, 40.50m, 1, 24.20m),
            new(March14, pokeBar, 1, 25.50m, 1, 28.05m),
            new(March20, pokeBar, 1, 12.00m, 1, 13.20m),
        ], deadline);

        await client.ShouldEventuallyBeAsync<RevenueByOrderType>("/analytics/revenue?period=year&from=2025-01-01&to=2025-12-31&order_type=takeaway",
            [new(Year2025, "takeaway", 2, 44.00m, 1, 28.05m)], deadline);

        await rival.Client.ShouldEventuallyBeAsync<RevenueByRestaurant>("/analytics/revenue?period=year&group_by=restaurant&from=2025-01-01&to=2025-12-31",
            [new(Year2025, diner, 1, 50.00m, 1, 55.00m)], deadline);
    }

    [Fact]
    public async Task Each_order_counts_once_at_its_latest_status_however_its_status_events_arrive()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurant = await owner.CreateRestaurantAsync();
        var soup = await owner.CreateDishAsync(restaurant, "Soup", 6.00m);
        var day = new DateOnly(2025, 4, 2);

        var completed = Order(restaurant, "dine_in", At(day, 12), (soup, 1));
        var cancelled = Order(restaurant, "takeaway", At(day, 13), (soup, 2));
        await _events.PublishAsync(completed, "orders");
        await _events.PublishAsync(cancelled, "orders");
        var accepted = Status(completed.OrderId, "PLACED", "ACCEPTED", At(day, 12).AddMinutes(1));
        var acceptedEnvelope = await _events.PublishAsync(accepted, "orders");
        await _events.PublishAsync(Status(completed.OrderId, "ACCEPTED", "READY", At(day, 12).AddMinutes(2)), "orders");
        await _events.PublishAsync(Status(completed.OrderId, "READY", "COMPLETED", At(day, 12).AddMinutes(3)), "orders");
        await _events.PublishAsync(Status(cancelled.OrderId, "PLACED", "CANCELLED", At(day, 13).AddMinutes(1)), "orders");
        // A late redelivery of an older status moves nothing back; the same status announced twice counts once.
        await _events.PublishEnvelopeAsync(accepted, acceptedEnvelope);
        await _events.PublishAsync(Status(cancelled.OrderId, "PLACED", "CANCELLED", At(day, 13).AddMinutes(1)), "orders");
        await _events.PublishAsync(KitchenTicketStep.Create<KitchenTicketAccepted>(Guid.NewGuid(), cancelled.OrderId, cancelled.RestaurantId, 1, false, "ACCEPTED",
            "ACCEPTED", null, At(day, 13).AddMinutes(2)), "kitchen");
        var deadline = DateTime.UtcNow + Lag;

        await owner.Client.ShouldEventuallyBeAsync<StatusCount>($"/analytics/orders-by-status?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}",
        [
            new(day, day, "COMPLETED", 1, 6.00m, 6.00m, 0),
            new(day, day, "CANCELLED", 1, 12.00m, 12.00m, 0),
        ], deadline);
    }

    [Fact]
    public async Task Publishing_the_same_order_placed_envelope_again_changes_no_figure()
    {
        using var owner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var restaurant = await owner.CreateRestaurantAsync();
        var curry = await owner.CreateDishAsync(restaurant, "Curry", 9.00m);
        var day = new DateOnly(2025, 5, 6);
        var order = Order(restaurant, "delivery", At(day, 19), (curry, 2));
        var envelope = await _events.PublishAsync(order, "orders");
        await _events.PublishAsync(Paid(order, 19.80m, "wallet", At(day, 20)), "billing");

        var window = $"from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}";
        string[] figures =
        [
            $"/analytics/top-foods?date={day:yyyy-MM-dd}",
            $"/analytics/revenue?period=day&{window}",
            $"/analytics/revenue?period=day&group_by=restaurant&{window}",
        ];
        var client = owner.Client;
        await client.ShouldEventuallyBeAsync<RevenueByOrderType>(figures[1], [new(day, "delivery", 1, 18.00m, 1, 19.80m)], DateTime.UtcNow + Lag);
        var before = await Task.WhenAll(figures.Select(client.GetBodyAsync));

        await _events.PublishEnvelopeAsync(order, envelope);
        await _events.PublishEnvelopeAsync(order, envelope);
        // Same key, so same partition, after the copies: once this status shows, the copies have been ingested too.
        await _events.PublishAsync(Status(order.OrderId, "PLACED", "ACCEPTED", At(day, 19).AddMinutes(5)), "orders");
        await client.ShouldEventuallyBeAsync<StatusCount>($"/analytics/orders-by-status?{window}",
            [new(day, day, "ACCEPTED", 1, 18.00m, 18.00m, 1)], DateTime.UtcNow + Lag);

        var after = await Task.WhenAll(figures.Select(client.GetBodyAsync));
        after.ShouldBe(before);
        after[0].ShouldContain("\"total_quantity\":2,");
    }
}
