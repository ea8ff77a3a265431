using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Kitchen;

/// <summary>
/// Issue 26, the pass: stations' tickets with options and allergens, line-by-line bumps, priorities, estimates the
/// guest sees, typical prep times, and a late ticket raising <c>kitchen.ticket_delayed</c> exactly once.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Kitchen")]
public sealed class KitchenPassTests(ApplicationFixture fixture)
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    /// <summary>Long enough for a 5 s sweep to find a ticket past a threshold of seconds.</summary>
    private static readonly TimeSpan DelayDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_pizzas_with_options_and_a_drink_are_cooked_at_two_stations_and_the_late_one_raises_one_delay()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var kafka = fixture.App.GetConnectionString("kafka")!;
        var drinks = await r.Owner.CreateCategoryAsync(r.Id, "Drinks");
        var pizza = await PassFlow.CreatePizzaAsync(r);
        var cola = await r.Owner.CreateFoodAsync(r.Id, "Cola", 3.00m, drinks);
        // The grill has all the time in the world; the bar's tickets are late after 2 s.
        var grill = await StationAsync(r, "Grill", new { food_ids = new[] { pizza.Id }, delay_threshold_seconds = 3600 });
        var bar = await StationAsync(r, "Drinks", new { category_ids = new[] { drinks }, delay_threshold_seconds = 2 });
        var colaCreated = await TopicReader.FirstAsync(kafka, "menu.events", e => e.EventType == "menu.food_created" && e.IsAbout("food_id", cola), OrderingFlow.EventDeadline);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["kitchen"], colaCreated.Position, OrderingFlow.EventDeadline);

        var placed = await r.Customer.PlaceOrderOkAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            items = new object[]
            {
                new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Large"), pizza.Option("Cheese") }, note = "well done" },
                new { food_id = pizza.Id, quantity = 1, options = new[] { pizza.Option("Small") } },
                new { food_id = cola, quantity = 1 },
            },
        });
        var orderId = placed.GetProperty("id").GetGuid();
        var tickets = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var page = await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}");
            return page.GetProperty("total").GetInt64() == 2 ? page.GetProperty("items") : null;
        }, OrderingFlow.EventDeadline, "two tickets");
        var grillTicket = tickets.EnumerateArray().Single(t => t.GetProperty("station_id").GetGuid() == grill);
        var barTicket = tickets.EnumerateArray().Single(t => t.GetProperty("station_id").GetGuid() == bar);
        var grillLines = grillTicket.GetProperty("items").EnumerateArray().ToList();
        grillLines.Select(l => string.Join(", ", l.GetProperty("options").EnumerateArray().Select(o => o.Text("name")))).ShouldBe(["Large, Cheese", "Small"]);
        grillLines.ShouldAllBe(l => l.GetProperty("allergens").EnumerateArray().Select(a => a.GetString()).SequenceEqual(new[] { "gluten", "milk" }));
        grillLines[0].Text("note").ShouldBe("well done");
        barTicket.GetProperty("items").EnumerateArray().Single().Text("food_name").ShouldBe("Cola");
        grillTicket.Text("priority").ShouldBe("normal");
        var (grillId, barId) = (grillTicket.GetProperty("id").GetGuid(), barTicket.GetProperty("id").GetGuid());

        // Accepting with an estimate: the guest sees when to expect the order.
        var accepted = await MoveAsync(r, grillId, new { status = "ACCEPTED", estimated_minutes = 15 });
        var promised = accepted.GetProperty("estimated_ready_at").GetDateTimeOffset();
        promised.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
        var order = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var body = await r.Customer.Client.GetOkAsync($"/orders/{orderId}");
            return body.GetProperty("estimated_ready_at").ValueKind == JsonValueKind.String ? body : null;
        }, OrderingFlow.EventDeadline, "the estimate on the order");
        order.GetProperty("estimated_ready_at").GetDateTimeOffset().ShouldBe(promised, TimeSpan.FromMilliseconds(1));
        order.Text("status").ShouldBe("ACCEPTED");

        // Left alone past its station's 2 s, the drink ticket is late: exactly one kitchen.ticket_delayed, however
        // many sweeps (every few seconds, and asked for now, at once) look at it. The grill's ticket is not late.
        var delay = await TopicReader.FirstAsync(kafka, "kitchen.events", e => e.EventType == "kitchen.ticket_delayed" && e.IsAbout("order_id", orderId), DelayDeadline);
        delay.Data.GetProperty("ticket_id").GetGuid().ShouldBe(barId);
        delay.Data.Text("station_name").ShouldBe("Drinks");
        delay.Data.GetProperty("threshold_seconds").GetInt32().ShouldBe(2);
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SweepAsync(r.Owner.Client, r.Id)));
        sweeps.SelectMany(s => s).ShouldBeEmpty("the ticket was flagged already");
        var delays = await TopicReader.ReadAsync(kafka, "kitchen.events", e => e.EventType == "kitchen.ticket_delayed" && e.IsAbout("order_id", orderId),
            expected: 1, OrderingFlow.EventDeadline, settle: TimeSpan.FromSeconds(6));
        delays.Count.ShouldBe(1);
        (await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets/{barId}")).GetProperty("delayed_at").ValueKind.ShouldBe(JsonValueKind.String);
        (await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets/{grillId}")).GetProperty("delayed_at").ValueKind.ShouldBe(JsonValueKind.Null);

        // Bump item by item: the order is READY only after the last line, whichever station it is on.
        (await WorkAsync(r, barId, 1, "READY")).Text("status").ShouldBe("READY");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "IN_PROGRESS");
        (await WorkAsync(r, grillId, 1, "IN_PROGRESS")).Text("status").ShouldBe("IN_PROGRESS");
        (await WorkAsync(r, grillId, 1, "READY")).Text("status").ShouldBe("IN_PROGRESS");
        var bumped = await TopicReader.ReadAsync(kafka, "kitchen.events",
            e => e.EventType == "kitchen.item_bumped" && e.IsAbout("order_id", orderId), 2, OrderingFlow.EventDeadline, TimeSpan.Zero);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["orders"], bumped.MaxBy(e => e.Position.Offset.Value)!.Position, OrderingFlow.EventDeadline);
        (await r.Customer.Client.GetOkAsync($"/orders/{orderId}")).Text("status").ShouldBe("IN_PROGRESS", "a pizza is still on the grill");
        (await WorkAsync(r, grillId, 2, "READY")).Text("status").ShouldBe("READY");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "READY");

        // The bill carries the options and what they added.
        var bill = await r.Owner.Client.WaitForBillAsync(orderId);
        var billLines = (await r.Owner.Client.GetOkAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/split")).GetProperty("lines").EnumerateArray().ToList();
        billLines[0].GetProperty("options").EnumerateArray().Select(o => (o.Text("name"), o.Money("price_delta"))).ShouldBe([("Large", 3.00m), ("Cheese", 1.50m)]);
        billLines.Select(l => l.Money("line_total")).ShouldBe([14.50m, 10.00m, 3.00m]);

        // The kitchen has learnt how long its pizza and its cola take.
        var prep = await r.Kitchen.Client.GetFromJsonAsync<JsonElement>("/kitchen/prep-times");
        var pizzaTime = prep.EnumerateArray().Single(p => p.GetProperty("food_id").GetGuid() == pizza.Id);
        pizzaTime.GetProperty("samples").GetInt32().ShouldBe(2);
        pizzaTime.GetProperty("typical_minutes").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        prep.EnumerateArray().ShouldContain(p => p.GetProperty("food_id").GetGuid() == cola);

        // Analytics counts the late ticket under its station and the options chosen.
        var delaysByStation = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await r.Owner.Client.GetOkAsync($"/analytics/kitchen-delays?restaurant_id={r.Id}");
            return rows.GetArrayLength() > 0 ? rows : null;
        }, DelayDeadline, "the delay in analytics");
        delaysByStation.EnumerateArray().Select(d => (d.Text("station_name"), d.GetProperty("delays").GetInt64())).ShouldBe([("Drinks", 1L)]);
        var modifiers = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await r.Owner.Client.GetOkAsync($"/analytics/top-modifiers?restaurant_id={r.Id}");
            return rows.GetArrayLength() >= 3 ? rows : null;
        }, DelayDeadline, "the options in analytics");
        modifiers.EnumerateArray().Select(m => (m.Text("option_name"), m.GetProperty("times_chosen").GetInt64(), m.Money("revenue")))
            .OrderBy(m => m.Item1).ShouldBe([("Cheese", 1L, 1.50m), ("Large", 1L, 3.00m), ("Small", 1L, 0.00m)]);
    }

    [Fact]
    public async Task Concurrent_sweeps_raise_one_delay_per_late_ticket()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var kafka = fixture.App.GetConnectionString("kafka")!;
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var ticketId = (await r.Kitchen.WaitForTicketAsync(orderId)).GetProperty("id").GetGuid();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // The owner makes tickets late after 1 s: the ticket already is. Eight sweeps at once, and the background one.
        using (var set = await r.Owner.Client.CallAsync(HttpMethod.Put, "/kitchen/settings", new { restaurant_id = r.Id, delay_threshold_seconds = 1 }))
            await set.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SweepAsync(i % 2 == 0 ? r.Owner.Client : r.Kitchen.Client, i % 2 == 0 ? r.Id : null)));
        sweeps.SelectMany(s => s).Count(id => id == ticketId).ShouldBeLessThanOrEqualTo(1);

        var delays = await TopicReader.ReadAsync(kafka, "kitchen.events", e => e.EventType == "kitchen.ticket_delayed" && e.IsAbout("order_id", orderId),
            expected: 1, DelayDeadline, settle: TimeSpan.FromSeconds(6));
        delays.Count.ShouldBe(1);
        delays[0].Data.GetProperty("ticket_id").GetGuid().ShouldBe(ticketId);
        delays[0].Data.GetProperty("threshold_seconds").GetInt32().ShouldBe(1);
        (await SweepAsync(r.Owner.Client, r.Id)).ShouldBeEmpty();

        var settings = await r.Owner.Client.GetOkAsync($"/kitchen/settings?restaurant_id={r.Id}");
        settings.EnumerateArray().Single().GetProperty("delay_threshold_seconds").GetInt32().ShouldBe(1);
        using (var bad = await r.Owner.Client.CallAsync(HttpMethod.Put, "/kitchen/settings", new { restaurant_id = r.Id, delay_threshold_seconds = 0 }))
            await bad.ShouldNameFieldAsync("delay_threshold_seconds");
        using (var bad = await r.Owner.Client.CallAsync(HttpMethod.Post, "/kitchen/stations", new { restaurant_id = r.Id, name = "Fryer", delay_threshold_seconds = -5 }))
            await bad.ShouldNameFieldAsync("delay_threshold_seconds");
    }

    [Fact]
    public async Task Staff_raise_a_tickets_priority_and_urgent_tickets_come_first()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var kafka = fixture.App.GetConnectionString("kafka")!;
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var first = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var second = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var third = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var firstTicket = (await r.Kitchen.WaitForTicketAsync(first)).GetProperty("id").GetGuid();
        var secondTicket = (await r.Kitchen.WaitForTicketAsync(second)).GetProperty("id").GetGuid();
        var thirdTicket = (await r.Kitchen.WaitForTicketAsync(third)).GetProperty("id").GetGuid();

        async Task<IReadOnlyList<Guid>> DisplayAsync() =>
            (await r.Kitchen.Client.GetOkAsync("/kitchen/tickets?status=NEW,ACCEPTED,IN_PROGRESS,READY&page_size=100"))
                .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        (await DisplayAsync()).ShouldBe([firstTicket, secondTicket, thirdTicket]);

        // The waiter hurries the last one, the kitchen marks the second high: urgent first, then high, then by age.
        (await PrioritizeAsync(waiter.Client, thirdTicket, "URGENT")).Text("priority").ShouldBe("urgent");
        (await PrioritizeAsync(r.Kitchen.Client, secondTicket, "high")).Text("priority").ShouldBe("high");
        (await DisplayAsync()).ShouldBe([thirdTicket, secondTicket, firstTicket]);
        (await PrioritizeAsync(r.Owner.Client, thirdTicket, "normal")).Text("priority").ShouldBe("normal");
        (await DisplayAsync()).ShouldBe([secondTicket, firstTicket, thirdTicket]);

        var events = await TopicReader.ReadAsync(kafka, "kitchen.events",
            e => e.EventType == "kitchen.ticket_prioritized" && (e.IsAbout("order_id", second) || e.IsAbout("order_id", third)), 3, OrderingFlow.EventDeadline, TimeSpan.FromMilliseconds(300));
        events.Select(e => (e.Data.GetProperty("ticket_id").GetGuid(), e.Data.Text("priority"), e.Data.Text("previous_priority"))).ShouldBe(
            [(thirdTicket, "urgent", "normal"), (secondTicket, "high", "normal"), (thirdTicket, "normal", "urgent")], ignoreOrder: true);

        using (var bad = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/priority", new { priority = "asap" }))
            await bad.ShouldNameFieldAsync("priority");
        using (var missing = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/priority", new { }))
            await missing.ShouldNameFieldAsync("priority");
        using (var guest = await r.Customer.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/priority", new { priority = "urgent" }))
            guest.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // An estimate comes only with accepting, and only one way.
        using (var wrongStep = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/status", new { status = "IN_PROGRESS", estimated_minutes = 10 }))
            await wrongStep.ShouldNameFieldAsync("estimated_minutes");
        using (var tooLong = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/status", new { status = "ACCEPTED", estimated_minutes = 6000 }))
            await tooLong.ShouldNameFieldAsync("estimated_minutes");
        using (var past = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{firstTicket}/status", new { status = "ACCEPTED", estimated_ready_at = "2020-01-01T00:00:00Z" }))
            await past.ShouldNameFieldAsync("estimated_ready_at");
        var at = DateTimeOffset.UtcNow.AddMinutes(25);
        (await MoveAsync(r, firstTicket, new { status = "ACCEPTED", estimated_ready_at = at.ToString("O") })).GetProperty("estimated_ready_at").GetDateTimeOffset()
            .ShouldBe(at, TimeSpan.FromMilliseconds(1));
    }

    private static async Task<Guid> StationAsync(Restaurant r, string name, object routes)
    {
        var body = JsonSerializer.SerializeToElement(routes);
        var request = new Dictionary<string, object?> { ["restaurant_id"] = r.Id, ["name"] = name };
        foreach (var p in body.EnumerateObject()) request[p.Name] = p.Value;
        using var response = await r.Owner.Client.PostAsJsonAsync("/kitchen/stations", request);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var station = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.TryGetProperty("delay_threshold_seconds", out var threshold))
            station.GetProperty("delay_threshold_seconds").GetInt32().ShouldBe(threshold.GetInt32());
        return station.GetProperty("id").GetGuid();
    }

    private static async Task<IReadOnlyList<Guid>> SweepAsync(HttpClient client, Guid? restaurantId)
    {
        using var response = await client.PostAsync($"/kitchen/delays/sweep{(restaurantId is null ? "" : $"?restaurant_id={restaurantId}")}", null);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delayed").EnumerateArray().Select(e => e.GetGuid()).ToList();
    }

    private static async Task<JsonElement> PrioritizeAsync(HttpClient client, Guid ticketId, string priority)
    {
        using var response = await client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/priority", new { priority });
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> MoveAsync(Restaurant r, Guid ticketId, object body)
    {
        using var response = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> WorkAsync(Restaurant r, Guid ticketId, int lineNo, string status)
    {
        using var response = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/items/{lineNo}/status", new { status });
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>The kitchen pass's menu: a pizza with choices.</summary>
public static class PassFlow
{
    /// <summary>A pizza at 10.00 with gluten and milk: Size (one of Small, Large +3.00) and Extras (up to 2 of Cheese +1.50, Olives +1.00).</summary>
    public static async Task<Modifiable> CreatePizzaAsync(Restaurant r, string name = "Pizza")
    {
        using var response = await r.Owner.Client.PostAsJsonAsync($"/restaurants/{r.Id}/foods", new
        {
            name,
            price = 10.00m,
            allergens = new[] { "milk", "gluten" },
            modifier_groups = new object[]
            {
                new { name = "Size", min_choices = 1, max_choices = 1, options = new[] { new { name = "Small", price_delta = 0m }, new { name = "Large", price_delta = 3.00m } } },
                new { name = "Extras", min_choices = 0, max_choices = 2, options = new[] { new { name = "Cheese", price_delta = 1.50m }, new { name = "Olives", price_delta = 1.00m } } },
            },
        });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var food = await response.Content.ReadFromJsonAsync<JsonElement>();
        var options = food.GetProperty("modifier_groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("options").EnumerateArray())
            .ToDictionary(o => o.Text("name"), o => o.GetProperty("id").GetGuid());
        return new Modifiable(food.GetProperty("id").GetGuid(), options);
    }

    public sealed record Modifiable(Guid Id, IReadOnlyDictionary<string, Guid> Options)
    {
        public Guid Option(string name) => Options[name];
    }
}
