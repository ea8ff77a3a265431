using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Reservations;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Floor;

/// <summary>
/// Issue 25's acceptance: an evening of dine-in service through the gateway. Two tables seated (a walk-in and a party
/// from its reservation), rounds across them
/// (each its own kitchen ticket as it is added), a line taken off, the tables merged, the bill following the rounds,
/// and paying it sending the table to cleaning.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Floor")]
public sealed partial class EveningTests(ApplicationFixture fixture)
{
    [GeneratedRegex(@"^[A-Z]-\d{3,}$")]
    private static partial Regex OrderNumber();

    [Fact]
    public async Task An_evening_two_tables_three_rounds_a_removal_a_merge_and_the_bill_paid()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var one = await r.AddTableAsync(1, 4, "Main room");
        var two = await r.AddTableAsync(2, 2, "Terrace");

        // The waiter sees the floor, by section, every table free.
        var floor = await waiter.Client.GetOkAsync($"/tables?restaurant_id={r.Id}");
        floor.EnumerateArray().Select(t => t.Text("status")).ShouldBe(["AVAILABLE", "AVAILABLE"]);

        // Table 2 is booked by phone for tomorrow (the smallest table for two); the party turns up early and is seated.
        var booked = await waiter.Client.BookOkAsync(r.Id, 2, ReservationsFlow.Tomorrow(19), guestName: "Rossi");
        booked.GetProperty("table_id").GetGuid().ShouldBe(two);
        var reservationId = booked.GetProperty("id").GetGuid();

        // Two tables seated: table 1 a walk-in with its first round, table 2 from the reservation with none yet.
        var first = await waiter.OpenTableOkAsync(one, 3, [FloorFlow.Line(r.A, 2)]);
        var firstId = first.GetProperty("id").GetGuid();
        first.Text("order_type").ShouldBe("dine_in");
        first.GetProperty("covers").GetInt32().ShouldBe(3);
        OrderNumber().IsMatch(first.Text("order_number")).ShouldBeTrue(first.Text("order_number"));
        first.Money("total_price").ShouldBe(25.00m);
        Guid secondId;
        using (var seat = await waiter.Client.CallAsync(HttpMethod.Post, $"/reservations/{reservationId}/seat"))
        {
            await seat.ShouldHaveStatusAsync(HttpStatusCode.OK);
            secondId = (await seat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order_id").GetGuid();
        }
        var second = await waiter.Client.GetOkAsync($"/orders/{secondId}");
        second.GetProperty("covers").GetInt32().ShouldBe(2);
        (await waiter.TableAsync(two)).Text("status").ShouldBe("OCCUPIED");
        second.Text("order_number").ShouldNotBe(first.Text("order_number"));
        second.GetProperty("items").GetArrayLength().ShouldBe(0);

        var tableOne = await waiter.TableAsync(one);
        tableOne.Text("status").ShouldBe("OCCUPIED");
        tableOne.GetProperty("current_order_id").GetGuid().ShouldBe(firstId);

        // Round 1 of table 1 is on the kitchen display with the order's number.
        var tickets = await r.Kitchen.WaitForTicketsAsync(firstId, 1);
        tickets[0].Text("order_number").ShouldBe(first.Text("order_number"));
        tickets[0].GetProperty("table_number").GetInt32().ShouldBe(1);

        // Round 2 (table 2's first) and round 3 (table 1's second, sent twice with one key: added once).
        var secondAfter = await waiter.AddRoundOkAsync(secondId, [FloorFlow.Line(r.B, 2)]);
        secondAfter.Money("total_price").ShouldBe(14.50m);
        (await r.Kitchen.WaitForTicketsAsync(secondId, 1))[0].GetProperty("round").GetInt32().ShouldBe(1);

        var key = Guid.NewGuid().ToString();
        var firstAfter = await waiter.AddRoundOkAsync(firstId, [FloorFlow.Line(r.B, 1), FloorFlow.Line(r.A, 1)], key);
        var retried = await waiter.AddRoundOkAsync(firstId, [FloorFlow.Line(r.B, 1), FloorFlow.Line(r.A, 1)], key);
        retried.GetProperty("rounds").GetInt32().ShouldBe(2);
        retried.Money("total_price").ShouldBe(firstAfter.Money("total_price"));
        firstAfter.Money("total_price").ShouldBe(25.00m + 7.25m + 12.50m);
        tickets = await r.Kitchen.WaitForTicketsAsync(firstId, 2);
        tickets[1].GetProperty("items").GetArrayLength().ShouldBe(2);

        // The same key for another round is refused rather than silently ignored.
        using (var reused = await waiter.AddRoundAsync(firstId, [FloorFlow.Line(r.A, 5)], key))
            await reused.ShouldBeProblemAsync((HttpStatusCode)422, "idempotency_key_reused");

        // Table 1 sends back the extra Margherita before the kitchen starts round 2: its ticket line is voided.
        var extra = firstAfter.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("round").GetInt32() == 2 && i.Text("food_name") == r.A.Name);
        using (var removed = await waiter.Client.CallAsync(HttpMethod.Delete, $"/orders/{firstId}/items/{extra.GetProperty("line_no").GetInt32()}"))
        {
            await removed.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await removed.Content.ReadFromJsonAsync<JsonElement>()).Money("total_price").ShouldBe(25.00m + 7.25m);
        }
        await OrderingFlow.EventuallyAsync<bool>(async () =>
        {
            var round2 = (await r.Kitchen.WaitForTicketsAsync(firstId, 2))[1];
            return round2.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("voided").GetBoolean() && i.Text("food_name") == r.A.Name) ? true : null;
        }, OrderingFlow.EventDeadline, "the removed line voided on the kitchen ticket");

        // The kitchen starts round 1; its lines can then no longer come off.
        using (var accepted = await r.Kitchen.Client.CallAsync(HttpMethod.Patch, $"/kitchen/tickets/{tickets[0].GetProperty("id").GetGuid()}/status", new { status = "ACCEPTED" }))
            await accepted.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var roundOneLine = first.GetProperty("items")[0].GetProperty("line_no").GetInt32();
        await OrderingFlow.EventuallyAsync<bool>(async () =>
        {
            var order = await waiter.Client.GetOkAsync($"/orders/{firstId}");
            return order.GetProperty("items")[0].Text("kitchen_status") == "ACCEPTED" ? true : null;
        }, OrderingFlow.EventDeadline, "the waiter's order to show round 1 accepted");
        using (var refused = await waiter.Client.CallAsync(HttpMethod.Delete, $"/orders/{firstId}/items/{roundOneLine}"))
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "kitchen_started");

        // Table 2 joins table 1: its order is merged into table 1's and ends CANCELLED pointing there.
        using (var merged = await waiter.Client.CallAsync(HttpMethod.Post, $"/orders/{secondId}/merge", new { into_order_id = firstId }))
        {
            await merged.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var survivor = await merged.Content.ReadFromJsonAsync<JsonElement>();
            survivor.GetProperty("id").GetGuid().ShouldBe(firstId);
            survivor.Money("total_price").ShouldBe(25.00m + 7.25m + 14.50m);
            survivor.GetProperty("covers").GetInt32().ShouldBe(5);
        }
        var gone = await waiter.Client.GetOkAsync($"/orders/{secondId}");
        gone.Text("status").ShouldBe("CANCELLED");
        gone.GetProperty("merged_into_order_id").GetGuid().ShouldBe(firstId);
        (await waiter.TableAsync(two)).Text("status").ShouldBe("NEEDS_CLEANING");
        using (var late = await waiter.AddRoundAsync(secondId, [FloorFlow.Line(r.A, 1)]))
            await late.ShouldBeProblemAsync(HttpStatusCode.Conflict, "order_closed");

        // The kitchen now shows three tickets for table 1's order, one per round.
        tickets = await r.Kitchen.WaitForTicketsAsync(firstId, 3);
        tickets.Select(t => t.GetProperty("round").GetInt32()).ShouldBe([1, 2, 3]);

        // The bill matches the rounds (less the removed line), then is paid: the order closes, the table needs cleaning.
        var bill = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var b = await r.Owner.Client.WaitForBillAsync(firstId);
            return b.Money("subtotal") == 46.75m ? b : null;
        }, OrderingFlow.EventDeadline, "the bill to follow the rounds");
        bill.Text("status").ShouldBe("PENDING");
        bill.Text("order_number").ShouldBe(first.Text("order_number"));
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{firstId}/finalize", new { payment_method = "card" }))
            await paid.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await waiter.Client.WaitForAsync($"/tables/{one}", "status", "NEEDS_CLEANING");
        await waiter.Client.WaitForAsync($"/orders/{firstId}", "status", "COMPLETED");
        using (var closed = await waiter.AddRoundAsync(firstId, [FloorFlow.Line(r.A, 1)]))
            await closed.ShouldBeProblemAsync(HttpStatusCode.Conflict, "order_closed");

        // ClickHouse has the evening: two tables seated (one walk-in, one from its reservation), five covers, one table
        // paid with its time at table; the reservation counts on the day it was for, seated, no no-show.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var reservedDay = ReservationsFlow.Day(ReservationsFlow.Tomorrow(19));
        var report = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await r.Owner.Client.GetOkAsync($"/analytics/floor?restaurant_id={r.Id}&from={today}&to={reservedDay}");
            return rows.GetArrayLength() == 2 && rows[0].GetProperty("tables_paid").GetInt64() == 1
                && rows[1].GetProperty("reservations_seated").GetInt64() == 1 ? rows : null;
        }, TimeSpan.FromSeconds(30), "the evening in ClickHouse");
        var days = report.EnumerateArray().ToArray();
        var floorDay = days[0];
        floorDay.Text("date").ShouldBe(today);
        floorDay.GetProperty("tables_seated").GetInt64().ShouldBe(2);
        floorDay.GetProperty("walk_ins").GetInt64().ShouldBe(1);
        floorDay.GetProperty("from_reservations").GetInt64().ShouldBe(1);
        floorDay.GetProperty("covers").GetInt64().ShouldBe(5);
        floorDay.GetProperty("average_table_minutes").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        var bookDay = days[1];
        bookDay.Text("date").ShouldBe(reservedDay);
        bookDay.GetProperty("tables_seated").GetInt64().ShouldBe(0);
        bookDay.GetProperty("reservations").GetInt64().ShouldBe(1);
        bookDay.GetProperty("no_shows").GetInt64().ShouldBe(0);
        bookDay.GetProperty("no_show_rate").GetDouble().ShouldBe(0.0);

        // Cleaned, the table is free again.
        using (var cleaned = await waiter.Client.CallAsync(HttpMethod.Patch, $"/tables/{one}/status", new { status = "AVAILABLE" }))
            await cleaned.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await waiter.TableAsync(one)).GetProperty("current_order_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_party_moved_to_another_table_takes_its_order_kitchen_tickets_and_bill_along()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var window = await r.AddTableAsync(5, 2, "Terrace");
        var inside = await r.AddTableAsync(6, 4, "Main room");
        var order = await waiter.OpenTableOkAsync(window, 2, [FloorFlow.Line(r.A, 1)]);
        var orderId = order.GetProperty("id").GetGuid();
        (await r.Kitchen.WaitForTicketsAsync(orderId, 1))[0].GetProperty("table_number").GetInt32().ShouldBe(5);

        // It starts to rain: the party moves inside.
        using (var moved = await waiter.Client.CallAsync(HttpMethod.Post, $"/orders/{orderId}/move", new { table_id = inside }))
        {
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("table_id").GetGuid().ShouldBe(inside);
        }
        (await waiter.TableAsync(window)).Text("status").ShouldBe("NEEDS_CLEANING");
        var insideTable = await waiter.TableAsync(inside);
        insideTable.Text("status").ShouldBe("OCCUPIED");
        insideTable.GetProperty("current_order_id").GetGuid().ShouldBe(orderId);

        // The kitchen shows the ticket at its new table, and the next round arrives there too.
        await OrderingFlow.EventuallyAsync<bool>(async () =>
            (await r.Kitchen.WaitForTicketsAsync(orderId, 1))[0].GetProperty("table_number").GetInt32() == 6 ? true : null,
            OrderingFlow.EventDeadline, "the kitchen ticket to follow the party to table 6");
        await waiter.AddRoundOkAsync(orderId, [FloorFlow.Line(r.B, 1)]);
        (await r.Kitchen.WaitForTicketsAsync(orderId, 2))[1].GetProperty("table_number").GetInt32().ShouldBe(6);

        // The bill is the order's, both rounds on it; paying it frees the table the party sits at now.
        var bill = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var b = await r.Owner.Client.WaitForBillAsync(orderId);
            return b.Money("subtotal") == 12.50m + 7.25m ? b : null;
        }, OrderingFlow.EventDeadline, "the bill to follow the moved order");
        bill.Text("status").ShouldBe("PENDING");
        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "card" }))
            await paid.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await waiter.Client.WaitForAsync($"/tables/{inside}", "status", "NEEDS_CLEANING");
    }

    [Fact]
    public async Task Two_waiters_opening_the_same_free_table_at_once_make_exactly_one_order()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        using var waiter1 = await FloorFlow.HireWaiterAsync(fixture, r);
        using var waiter2 = await FloorFlow.HireWaiterAsync(fixture, r);
        var table = await r.AddTableAsync(7, 4, "Main room");

        var answers = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? waiter1 : waiter2).OpenTableAsync(table, 2)));
        try
        {
            answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
            foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
                await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "table_not_free");
            var winner = await answers.Single(a => a.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonElement>();
            (await waiter1.TableAsync(table)).GetProperty("current_order_id").GetGuid().ShouldBe(winner.GetProperty("id").GetGuid());
            var orders = await r.Owner.Client.GetOkAsync($"/orders?restaurant_id={r.Id}");
            orders.GetProperty("total").GetInt64().ShouldBe(1);
        }
        finally
        {
            foreach (var answer in answers) answer.Dispose();
        }
    }

    [Fact]
    public async Task Online_orders_get_a_number_too_and_customers_cannot_use_the_floor()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var placed = await r.Customer.PlaceOrderOkAsync(r.UsualOrder());
        OrderNumber().IsMatch(placed.Text("order_number")).ShouldBeTrue();
        placed.GetProperty("table_id").ValueKind.ShouldBe(JsonValueKind.Null);
        var ticket = await r.Kitchen.WaitForTicketAsync(placed.GetProperty("id").GetGuid());
        ticket.Text("order_number").ShouldBe(placed.Text("order_number"));

        var table = await r.AddTableAsync(3, 2, "Bar");
        using (var customerOpens = await r.Customer.OpenTableAsync(table, 2))
            await customerOpens.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using (var kitchenAdds = await r.Kitchen.Client.CallAsync(HttpMethod.Post, "/tables", new { restaurant_id = r.Id, number = 9, capacity = 2, section = "Bar" }))
            await kitchenAdds.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using (var taken = await r.Owner.Client.CallAsync(HttpMethod.Post, "/tables", new { restaurant_id = r.Id, number = 3, capacity = 2, section = "Bar" }))
            await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict, "table_number_taken");
        using (var bad = await r.Owner.Client.CallAsync(HttpMethod.Post, "/tables", new { restaurant_id = r.Id, number = 0, capacity = 2, section = "Bar" }))
            await bad.ShouldNameFieldAsync("number");
    }
}
