using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Kitchen;

/// <summary>
/// Issue 26: cooks work a ticket line by line, the kitchen speaks its own events, and Orders alone says where the order
/// is; an order the owner closes leaves the kitchen display.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Kitchen")]
public sealed class KitchenWorkTests(ApplicationFixture fixture)
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    [Fact]
    public async Task Lines_are_started_and_bumped_one_by_one_and_the_order_is_ready_only_after_the_last()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var ticket = await r.Kitchen.WaitForTicketAsync(orderId);
        var ticketId = ticket.GetProperty("id").GetGuid();
        ticket.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("line_no").GetInt32(), i.Text("status")))
            .ShouldBe([(1, "NEW"), (2, "NEW")]);

        var started = await WorkAsync(r, ticketId, 1, "IN_PROGRESS");
        started.Text("status").ShouldBe("IN_PROGRESS");
        Line(started, 1).Text("status").ShouldBe("IN_PROGRESS");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "IN_PROGRESS");

        var firstBumped = await WorkAsync(r, ticketId, 1, "READY");
        firstBumped.Text("status").ShouldBe("IN_PROGRESS", "one line of two is done");
        Line(firstBumped, 1).Text("status").ShouldBe("READY");
        Line(firstBumped, 2).Text("status").ShouldBe("NEW");
        // Asking again for what a line already is changes nothing.
        (await WorkAsync(r, ticketId, 1, "READY")).Text("status").ShouldBe("IN_PROGRESS");

        var kafka = fixture.App.GetConnectionString("kafka")!;
        await TopicReader.FirstAsync(kafka, "kitchen.events", e => e.EventType == "kitchen.item_bumped" && e.IsAbout("order_id", orderId), OrderingFlow.EventDeadline);
        await Task.Delay(500);
        (await r.Customer.Client.GetOkAsync($"/orders/{orderId}")).Text("status").ShouldBe("IN_PROGRESS", "a line is still cooking");

        var lastBumped = await WorkAsync(r, ticketId, 2, "READY");
        lastBumped.Text("status").ShouldBe("READY");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "READY");

        // A READY ticket's lines are done; unknown lines and statuses are refused.
        using (var again = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/items/1/status", new { status = "IN_PROGRESS" }))
            await again.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var missing = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/items/9/status", new { status = "READY" }))
            await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var wrong = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/items/1/status", new { status = "COOKED" }))
            (await wrong.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _).ShouldBeTrue();

        using (var served = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = "DELIVERED_TO_SERVICE" }))
            await served.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "COMPLETED");

        // One vocabulary per event: the kitchen's steps are kitchen.* events; order.status_updated is only Orders', in order statuses.
        var kitchenEvents = await TopicReader.ReadAsync(kafka, "kitchen.events", e => e.IsAbout("order_id", orderId), 7, OrderingFlow.EventDeadline, TimeSpan.FromMilliseconds(300));
        kitchenEvents.Select(e => e.EventType).ShouldBe([
            "kitchen.ticket_opened", "kitchen.item_started", "kitchen.ticket_started", "kitchen.item_bumped", "kitchen.item_bumped",
            "kitchen.ticket_ready", "kitchen.ticket_delivered"]);
        var statusEvents = await TopicReader.ReadAsync(kafka, "order.events",
            e => e.EventType == "order.status_updated" && e.IsAbout("order_id", orderId), 3, OrderingFlow.EventDeadline, TimeSpan.FromMilliseconds(300));
        statusEvents.Select(e => e.Data.Text("new_status")).ShouldBe(["IN_PROGRESS", "READY", "COMPLETED"]);
        statusEvents.ShouldAllBe(e => e.Envelope.GetProperty("source").GetString() == "orders");
    }

    [Fact]
    public async Task An_order_the_owner_completes_or_cancels_leaves_the_kitchen_display()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var completed = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var cancelled = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var completedTicket = (await r.Kitchen.WaitForTicketAsync(completed)).GetProperty("id").GetGuid();
        var cancelledTicket = (await r.Kitchen.WaitForTicketAsync(cancelled)).GetProperty("id").GetGuid();

        foreach (var status in new[] { "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED" })
            using (var moved = await r.Owner.Client.CallAsync(Patch, $"/orders/{completed}/status", new { status }))
                await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using (var moved = await r.Owner.Client.CallAsync(Patch, $"/orders/{cancelled}/status", new { status = "CANCELLED" }))
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);

        await r.Kitchen.Client.WaitForAsync($"/kitchen/tickets/{completedTicket}", "status", "DELIVERED_TO_SERVICE");
        await r.Kitchen.Client.WaitForAsync($"/kitchen/tickets/{cancelledTicket}", "status", "CANCELLED");
        var display = await r.Kitchen.Client.GetOkAsync("/kitchen/tickets?status=NEW,ACCEPTED,IN_PROGRESS,READY&page_size=100");
        display.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("order_id").GetGuid()).ShouldNotContain(completed);
        display.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("order_id").GetGuid()).ShouldNotContain(cancelled);
        (await r.Customer.Client.GetOkAsync($"/orders/{completed}")).Text("status").ShouldBe("COMPLETED", "closing its ticket does not move the order again");
    }

    [Fact]
    public async Task Two_pizzas_and_a_drink_go_to_the_grill_and_the_drinks_station_and_the_order_is_ready_after_the_last_bump()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var drinks = await r.Owner.CreateCategoryAsync(r.Id, "Drinks");
        var diavola = await r.Owner.CreateFoodAsync(r.Id, "Diavola", 13.00m);
        var cola = await r.Owner.CreateFoodAsync(r.Id, "Cola", 3.00m, drinks);
        var grill = await KitchenFlow.CreateStationAsync(r.Owner.Client, r.Id, "Grill", foodIds: [r.A.Id, diavola]);
        var bar = await KitchenFlow.CreateStationAsync(r.Owner.Client, r.Id, "Drinks", categoryIds: [drinks]);
        // The kitchen learns the drink's category from menu.events: let it hear of the cola before the order comes.
        var kafka = fixture.App.GetConnectionString("kafka")!;
        var colaCreated = await TopicReader.FirstAsync(kafka, "menu.events", e => e.EventType == "menu.food_created" && e.IsAbout("food_id", cola), OrderingFlow.EventDeadline);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["kitchen"], colaCreated.Position, OrderingFlow.EventDeadline);

        var stations = await r.Kitchen.Client.GetOkAsync("/kitchen/stations");
        stations.EnumerateArray().Select(s => s.Text("name")).ShouldBe(["Drinks", "Grill"]);

        var orderId = (await r.Customer.PlaceOrderOkAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            items = new object[] { new { food_id = r.A.Id, quantity = 1 }, new { food_id = diavola, quantity = 1 }, new { food_id = cola, quantity = 1 } },
        })).GetProperty("id").GetGuid();
        var tickets = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var page = await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}");
            return page.GetProperty("total").GetInt64() == 2 ? page.GetProperty("items") : null;
        }, OrderingFlow.EventDeadline, "two tickets");
        var grillTicket = tickets.EnumerateArray().Single(t => t.GetProperty("station_id").GetGuid() == grill);
        var barTicket = tickets.EnumerateArray().Single(t => t.GetProperty("station_id").GetGuid() == bar);
        grillTicket.Text("station_name").ShouldBe("Grill");
        grillTicket.GetProperty("items").EnumerateArray().Select(i => i.Text("food_name")).ShouldBe(["Margherita", "Diavola"]);
        barTicket.GetProperty("items").EnumerateArray().Select(i => i.Text("food_name")).ShouldBe(["Cola"]);
        (await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}&station_id={bar}")).GetProperty("total").GetInt64().ShouldBe(1);

        // Bump line by line: the order waits for the last one, whichever station it is on.
        var grillId = grillTicket.GetProperty("id").GetGuid();
        var barId = barTicket.GetProperty("id").GetGuid();
        (await WorkAsync(r, barId, 1, "READY")).Text("status").ShouldBe("READY");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "IN_PROGRESS");
        (await WorkAsync(r, grillId, 1, "READY")).Text("status").ShouldBe("IN_PROGRESS");
        var lastButOne = await TopicReader.ReadAsync(kafka, "kitchen.events",
            e => e.EventType == "kitchen.item_bumped" && e.IsAbout("order_id", orderId), 2, OrderingFlow.EventDeadline, TimeSpan.Zero);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["orders"], lastButOne.MaxBy(e => e.Position.Offset.Value)!.Position, OrderingFlow.EventDeadline);
        (await r.Customer.Client.GetOkAsync($"/orders/{orderId}")).Text("status").ShouldBe("IN_PROGRESS", "the grill still has a pizza");
        (await WorkAsync(r, grillId, 2, "READY")).Text("status").ShouldBe("READY");
        await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", "READY");
    }

    private static async Task<JsonElement> WorkAsync(Restaurant r, Guid ticketId, int lineNo, string status)
    {
        using var response = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/items/{lineNo}/status", new { status });
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Line(JsonElement ticket, int lineNo) =>
        ticket.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("line_no").GetInt32() == lineNo);
}
