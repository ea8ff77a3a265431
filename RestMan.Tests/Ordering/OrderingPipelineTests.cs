using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Ordering;

/// <summary>
/// The ordering pipeline end to end through the gateway: a customer orders, the kitchen cooks, the owner settles the
/// bill.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Ordering")]
public sealed class OrderingPipelineTests(ApplicationFixture fixture)
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    [Fact]
    public async Task An_order_is_priced_from_the_menu_and_the_kitchen_takes_it_to_completion_step_by_step()
    {
        using var r = await Restaurant.OpenAsync(fixture);

        // Prices and totals sent by the client have nowhere to go.
        var placed = await r.Customer.PlaceOrderOkAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            notes = "no basil on one",
            total_price = 0.02m,
            items = new object[]
            {
                new { food_id = r.A.Id, quantity = 2, unit_price = 0.01m, price = 0.01m },
                new { food_id = r.B.Id, quantity = 1, unit_price = 0.01m, price = 0.01m },
            },
        });
        var clock = Stopwatch.StartNew();
        var orderId = placed.GetProperty("id").GetGuid();
        placed.Text("status").ShouldBe("PLACED");
        placed.Money("total_price").ShouldBe(32.25m);
        placed.GetProperty("user_id").GetGuid().ShouldBe(r.Customer.UserId);
        var lines = placed.GetProperty("items").EnumerateArray().ToList();
        lines.Select(l => (l.GetProperty("food_id").GetGuid(), l.Text("food_name"), l.GetProperty("quantity").GetInt32(), l.Money("unit_price"), l.Money("line_total")))
            .ShouldBe([(r.A.Id, "Margherita", 2, 12.50m, 25.00m), (r.B.Id, "Tiramisu", 1, 7.25m, 7.25m)]);

        var ticket = await r.Kitchen.WaitForTicketAsync(orderId, TimeSpan.FromSeconds(2));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        var ticketId = ticket.GetProperty("id").GetGuid();
        ticket.Text("status").ShouldBe("NEW");
        ticket.Text("notes").ShouldBe("no basil on one");
        ticket.GetProperty("restaurant_id").GetGuid().ShouldBe(r.Id);
        ticket.GetProperty("items").EnumerateArray().Select(i => (i.Text("food_name"), i.GetProperty("quantity").GetInt32()))
            .ShouldBe([("Margherita", 2), ("Tiramisu", 1)]);

        // Another restaurant's kitchen neither lists nor reads it; the owner may read it.
        var otherOwner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        using (otherOwner)
        {
            var otherRestaurant = await otherOwner.CreateRestaurantAsync();
            using var otherKitchen = await OrderingFlow.HireKitchenStaffAsync(fixture, otherOwner, otherRestaurant);
            using (var foreign = await otherKitchen.Client.GetAsync($"/kitchen/tickets/{ticketId}"))
                await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            (await otherKitchen.Client.GetOkAsync("/kitchen/tickets?status=NEW")).GetProperty("items").EnumerateArray()
                .ShouldNotContain(t => t.GetProperty("id").GetGuid() == ticketId);
            using (var patched = await otherKitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = "ACCEPTED" }))
                await patched.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
        (await r.Owner.Client.GetOkAsync($"/kitchen/tickets/{ticketId}")).Text("status").ShouldBe("NEW");
        (await r.Owner.Client.GetOkAsync($"/kitchen/tickets?restaurant_id={r.Id}&status=NEW")).GetProperty("items").EnumerateArray()
            .ShouldContain(t => t.GetProperty("id").GetGuid() == ticketId);
        (await r.Owner.Client.GetOkAsync("/kitchen/tickets")).GetProperty("items").EnumerateArray()
            .ShouldContain(t => t.GetProperty("id").GetGuid() == ticketId, "an owner's screen shows all their restaurants");

        (string Ticket, string Order)[] steps = [("ACCEPTED", "ACCEPTED"), ("IN_PROGRESS", "IN_PROGRESS"), ("READY", "READY"), ("DELIVERED_TO_SERVICE", "COMPLETED")];
        foreach (var (ticketStatus, orderStatus) in steps)
        {
            using var moved = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = ticketStatus });
            await moved.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await moved.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe(ticketStatus);
            await r.Customer.Client.WaitForAsync($"/orders/{orderId}", "status", orderStatus);
            if (orderStatus == "READY")
            {
                var mail = await OrderingFlow.WaitForMailAsync(fixture, r.Customer.Email, OrderingFlow.ReadySubject);
                mail.Text.ShouldContain(orderId.ToString("N")[..8].ToUpperInvariant());
                mail.Text.ShouldContain("32.25");
            }
        }
        (await OrderingFlow.MailboxAsync(fixture, r.Customer.Email)).Count(m => m.Subject == OrderingFlow.ReadySubject).ShouldBe(1);

        var completed = await r.Customer.Client.GetOkAsync($"/orders/{orderId}");
        completed.GetProperty("completed_at").ValueKind.ShouldBe(JsonValueKind.String);
        var timeline = await r.Customer.Client.GetOkAsync($"/orders/{orderId}/timeline");
        timeline.Text("status").ShouldBe("COMPLETED");
        var entries = timeline.GetProperty("steps").EnumerateArray().ToList();
        entries.Select(s => s.Text("status")).ShouldBe(["PLACED", "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED"]);
        entries.Select(s => s.Text("changed_by")).ShouldBe(["user", "kitch", "kitch", "kitch", "kitch"]);
        entries.Skip(1).ShouldAllBe(s => s.GetProperty("changed_by_user_id").GetGuid() == r.Kitchen.UserId);
        var times = entries.Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
        times.ShouldBe(times.Order().ToList());
        times[0].ShouldBe(placed.GetProperty("placed_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_bill_is_pending_with_ten_percent_tax_and_the_owner_settles_it_by_card_exactly_once()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();

        var bill = await r.Customer.Client.WaitForBillAsync(orderId);
        bill.Text("status").ShouldBe("PENDING");
        bill.Money("subtotal").ShouldBe(32.25m);
        bill.Money("tax_rate").ShouldBe(0.10m);
        bill.Money("tax_amount").ShouldBe(3.23m); // 3.225 rounds half away from zero
        bill.Money("discount_amount").ShouldBe(0m);
        bill.Money("total_amount").ShouldBe(35.48m);
        bill.GetProperty("payment_method").ValueKind.ShouldBe(JsonValueKind.Null);
        var billId = bill.GetProperty("id").GetGuid();
        (await r.Owner.Client.GetOkAsync($"/billing/orders/{orderId}")).GetProperty("id").GetGuid().ShouldBe(billId);

        using (var wrongMethod = await r.Owner.Client.CallAsync(Patch, $"/billing/bills/{billId}/payment", new { payment_method = "cheque" }))
            await wrongMethod.ShouldNameFieldAsync("payment_method");
        using (var cash = await r.Owner.Client.CallAsync(Patch, $"/billing/bills/{billId}/payment", new { payment_method = "cash" }))
        {
            await cash.ShouldHaveStatusAsync(HttpStatusCode.OK);
            (await cash.Content.ReadFromJsonAsync<JsonElement>()).Text("payment_method").ShouldBe("cash");
        }
        using (var customerFinalize = await r.Customer.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "card" }))
            await customerFinalize.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "card" }))
        {
            await paid.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var settled = await paid.Content.ReadFromJsonAsync<JsonElement>();
            settled.GetProperty("id").GetGuid().ShouldBe(billId);
            settled.Text("status").ShouldBe("PAID");
            settled.Text("payment_method").ShouldBe("card");
            settled.Money("total_amount").ShouldBe(35.48m);
            settled.GetProperty("paid_at").ValueKind.ShouldBe(JsonValueKind.String);
        }
        using (var again = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "card" }))
            await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_already_paid");
        using (var late = await r.Owner.Client.CallAsync(Patch, $"/billing/bills/{billId}/payment", new { payment_method = "upi" }))
            await late.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_already_paid");
        (await r.Customer.Client.GetOkAsync($"/billing/orders/{orderId}")).Text("status").ShouldBe("PAID");
    }

    [Fact]
    public async Task The_same_order_posted_twice_with_one_idempotency_key_is_one_order()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var key = Guid.NewGuid().ToString();

        using var first = await r.Customer.PlaceOrderAsync(r.UsualOrder(), key);
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        using var second = await r.Customer.PlaceOrderAsync(r.UsualOrder(), key);
        await second.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(id);

        var mine = await r.Customer.Client.GetOkAsync("/orders");
        mine.GetProperty("total").GetInt64().ShouldBe(1);
        mine.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(id);

        using (var changed = await r.Customer.PlaceOrderAsync(r.UsualOrder("takeaway"), key))
            await changed.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        // Keys are per customer: another customer's identical key is their own first order.
        using var other = await OrderingFlow.SignInAsync(fixture);
        using var theirs = await other.PlaceOrderAsync(r.UsualOrder(), key);
        await theirs.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldNotBe(id);

        // Concurrent retries of one request still make one order.
        var racingKey = Guid.NewGuid().ToString();
        var racers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => r.Customer.PlaceOrderAsync(r.UsualOrder(), racingKey)));
        var ids = new HashSet<Guid>();
        foreach (var response in racers)
        {
            await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            response.Dispose();
        }
        ids.Count.ShouldBe(1);
        (await r.Customer.Client.GetOkAsync("/orders")).GetProperty("total").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Cancelling_a_placed_order_cancels_its_ticket_and_voids_its_bill()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var ticketId = (await r.Kitchen.WaitForTicketAsync(orderId)).GetProperty("id").GetGuid();
        await r.Customer.Client.WaitForBillAsync(orderId);

        using (var cancelled = await r.Customer.Client.CallAsync(Patch, $"/orders/{orderId}/status", new { status = "CANCELLED" }))
        {
            await cancelled.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var order = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
            order.Text("status").ShouldBe("CANCELLED");
            order.GetProperty("cancelled_at").ValueKind.ShouldBe(JsonValueKind.String);
        }

        await r.Kitchen.Client.WaitForAsync($"/kitchen/tickets/{ticketId}", "status", "CANCELLED");
        var bill = await r.Customer.Client.WaitForAsync($"/billing/orders/{orderId}", "status", "VOID");
        bill.GetProperty("voided_at").ValueKind.ShouldBe(JsonValueKind.String);

        using (var cook = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = "ACCEPTED" }))
            await cook.ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");
        using (var pay = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "cash" }))
            await pay.ShouldBeProblemAsync(HttpStatusCode.Conflict, "bill_void");
        using (var twice = await r.Customer.Client.CallAsync(Patch, $"/orders/{orderId}/status", new { status = "CANCELLED" }))
            await twice.ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");

        var timeline = await r.Customer.Client.GetOkAsync($"/orders/{orderId}/timeline");
        timeline.GetProperty("steps").EnumerateArray().Select(s => s.Text("status")).ShouldBe(["PLACED", "CANCELLED"]);
    }

    [Fact]
    public async Task Illegal_status_changes_are_409_and_only_the_owner_moves_an_order_along()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var ticketId = (await r.Kitchen.WaitForTicketAsync(orderId)).GetProperty("id").GetGuid();
        var path = $"/orders/{orderId}/status";

        async Task ExpectAsync(HttpClient client, string status, HttpStatusCode expected, string? code = null)
        {
            using var response = await client.CallAsync(Patch, path, new { status });
            if (expected == HttpStatusCode.OK) await response.ShouldHaveStatusAsync(expected);
            else await response.ShouldBeProblemAsync(expected, code);
        }

        await ExpectAsync(r.Owner.Client, "READY", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "COMPLETED", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "PLACED", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "COOKING", HttpStatusCode.BadRequest, "validation_failed");
        await ExpectAsync(r.Customer.Client, "ACCEPTED", HttpStatusCode.Forbidden);
        await ExpectAsync(r.Kitchen.Client, "ACCEPTED", HttpStatusCode.Forbidden);

        await ExpectAsync(r.Owner.Client, "ACCEPTED", HttpStatusCode.OK);
        await ExpectAsync(r.Customer.Client, "CANCELLED", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "IN_PROGRESS", HttpStatusCode.OK);
        await ExpectAsync(r.Owner.Client, "READY", HttpStatusCode.OK);
        await OrderingFlow.WaitForMailAsync(fixture, r.Customer.Email, OrderingFlow.ReadySubject);
        await ExpectAsync(r.Owner.Client, "CANCELLED", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "COMPLETED", HttpStatusCode.OK);
        await ExpectAsync(r.Owner.Client, "CANCELLED", HttpStatusCode.Conflict, "illegal_transition");
        await ExpectAsync(r.Owner.Client, "COMPLETED", HttpStatusCode.Conflict, "illegal_transition");

        var timeline = await r.Owner.Client.GetOkAsync($"/orders/{orderId}/timeline");
        timeline.GetProperty("steps").EnumerateArray().Select(s => (s.Text("status"), s.Text("changed_by")))
            .ShouldBe([("PLACED", "user"), ("ACCEPTED", "rest"), ("IN_PROGRESS", "rest"), ("READY", "rest"), ("COMPLETED", "rest")]);

        // The ticket keeps its own path: no skipping, no going back, and no cancelling from the kitchen.
        foreach (var status in new[] { "READY", "DELIVERED_TO_SERVICE", "NEW", "CANCELLED" })
        {
            using var skipped = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status });
            await skipped.ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");
        }
        using (var unknown = await r.Kitchen.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = "BURNT" }))
            await unknown.ShouldNameFieldAsync("status");
        using (var owner = await r.Owner.Client.CallAsync(Patch, $"/kitchen/tickets/{ticketId}/status", new { status = "ACCEPTED" }))
            await owner.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Orders_the_menu_cannot_fill_are_400_naming_the_problem()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var elsewhere = await r.Owner.CreateRestaurantAsync();
        var foreignFood = await r.Owner.CreateFoodAsync(elsewhere, "Bratwurst", 9.00m);
        var soldOut = await r.Owner.CreateFoodAsync(r.Id, "Panna cotta", 6.00m);
        using (var off = await r.Owner.UpdateFoodAsync(r.Id, soldOut, new { is_available = false }))
            await off.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var removed = await r.Owner.CreateFoodAsync(r.Id, "Cannoli", 5.00m);
        using (var deleted = await r.Owner.Client.DeleteAsync($"/restaurants/{r.Id}/foods/{removed}"))
            deleted.IsSuccessStatusCode.ShouldBeTrue();

        object Order(object[] items, string type = "dine_in", string? address = null) =>
            new { restaurant_id = r.Id, order_type = type, items, delivery_address = address };
        object Line(Guid food, int quantity = 1) => new { food_id = food, quantity };

        async Task RejectedAsync(object order, string field, string because)
        {
            using var response = await r.Customer.PlaceOrderAsync(order);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue($"{because}: {problem}");
            messages[0].GetString().ShouldNotBeNullOrWhiteSpace();
        }

        await RejectedAsync(Order([Line(r.A.Id), Line(Guid.NewGuid())]), "items[1].food_id", "an unknown food");
        await RejectedAsync(Order([Line(foreignFood)]), "items[0].food_id", "a food of another restaurant");
        await RejectedAsync(Order([Line(r.A.Id), Line(soldOut)]), "items[1].food_id", "an unavailable food");
        await RejectedAsync(Order([Line(removed)]), "items[0].food_id", "a deleted food");
        await RejectedAsync(Order([Line(r.A.Id, 0)]), "items[0].quantity", "quantity 0");
        await RejectedAsync(Order([Line(r.A.Id, 101)]), "items[0].quantity", "quantity 101");
        await RejectedAsync(Order([]), "items", "no lines");
        await RejectedAsync(new { restaurant_id = r.Id, order_type = "dine_in" }, "items", "no items at all");
        await RejectedAsync(Order([Line(r.A.Id), Line(r.A.Id)]), "items[1].food_id", "the same food on two lines");
        await RejectedAsync(Order([Line(r.A.Id)], "delivery"), "delivery_address", "a delivery without an address");
        await RejectedAsync(Order([Line(r.A.Id)], "delivery", "   "), "delivery_address", "a blank delivery address");
        await RejectedAsync(Order([Line(r.A.Id)], "drive_through"), "order_type", "an unknown order type");
        await RejectedAsync(new { order_type = "dine_in", items = new[] { Line(r.A.Id) } }, "restaurant_id", "no restaurant");
        await RejectedAsync(new { restaurant_id = Guid.NewGuid(), order_type = "dine_in", items = new[] { Line(r.A.Id) } }, "restaurant_id", "an unknown restaurant");

        using (var badKey = await r.Customer.PlaceOrderAsync(Order([Line(r.A.Id)]), new string('k', 256)))
            await badKey.ShouldNameFieldAsync("idempotency-key");
        using (var notJson = await r.Customer.Client.PostAsync("/orders", new StringContent("{\"items\": 3", System.Text.Encoding.UTF8, "application/json")))
            await notJson.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var delivered = await r.Customer.PlaceOrderOkAsync(Order([Line(r.A.Id, 100)], "delivery", " 5 Via Appia "));
        delivered.Text("delivery_address").ShouldBe("5 Via Appia");
        delivered.Money("total_price").ShouldBe(1250.00m);
        (await r.Customer.Client.GetOkAsync("/orders")).GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task An_order_above_the_maximum_total_is_a_400_and_one_at_it_is_billed_with_tax()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var caviar = new List<Guid>();
        for (var i = 0; i < 3; i++) caviar.Add(await r.Owner.CreateFoodAsync(r.Id, $"Caviar {i}", 1_000_000.00m));

        // 3 × 100 × the highest price a food may have: 300,000,000.00, more than DECIMAL(12,2) leaves room for with tax.
        using (var tooMuch = await r.Customer.PlaceOrderAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            items = caviar.Select(id => new { food_id = id, quantity = 100 }).ToArray(),
        }))
            await tooMuch.ShouldNameFieldAsync("items");

        var atLimit = await r.Customer.PlaceOrderOkAsync(new
        {
            restaurant_id = r.Id,
            order_type = "dine_in",
            items = new[] { new { food_id = caviar[0], quantity = 100 } },
        });
        atLimit.Money("total_price").ShouldBe(100_000_000.00m);
        var bill = await r.Customer.Client.WaitForBillAsync(atLimit.GetProperty("id").GetGuid());
        bill.Money("total_amount").ShouldBe(110_000_000.00m);
    }

    [Fact]
    public async Task A_bill_paid_before_its_order_is_cancelled_shows_a_refund_was_due_and_is_refunded_in_full()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        (await r.Customer.Client.WaitForBillAsync(orderId)).GetProperty("refund_due").GetBoolean().ShouldBeFalse();

        using (var paid = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "card" }))
            await paid.ShouldHaveStatusAsync(HttpStatusCode.OK);
        // Paying does not move the order, so its owner may still cancel it.
        using (var cancelled = await r.Owner.Client.CallAsync(Patch, $"/orders/{orderId}/status", new { status = "CANCELLED" }))
            await cancelled.ShouldHaveStatusAsync(HttpStatusCode.OK);

        var bill = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var body = await r.Owner.Client.GetOkAsync($"/billing/orders/{orderId}");
            return body.GetProperty("refund_due").GetBoolean() ? body : (JsonElement?)null;
        }, OrderingFlow.EventDeadline, $"the bill of order {orderId} to show refund_due");
        // The refund goes through the refund path in the same unit of work (paid outside RestMan: refunded as recorded).
        bill.Text("status").ShouldBe("REFUNDED");
        bill.Money("amount_refunded").ShouldBe(bill.Money("amount_paid"));
        bill.GetProperty("voided_at").ValueKind.ShouldBe(JsonValueKind.Null);
        var refund = (await r.Owner.Client.GetOkAsync($"/billing/bills/{bill.GetProperty("id").GetGuid()}/refunds")).EnumerateArray().Single();
        refund.Text("status").ShouldBe("issued");
        refund.Text("reason").ShouldBe("order_cancelled");
        (await r.Customer.Client.GetOkAsync($"/billing/orders/{orderId}")).GetProperty("refund_due").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_redelivered_order_placed_event_opens_no_second_ticket_and_no_second_bill()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        var ticketId = (await r.Kitchen.WaitForTicketAsync(orderId)).GetProperty("id").GetGuid();
        var billId = (await r.Customer.Client.WaitForBillAsync(orderId)).GetProperty("id").GetGuid();

        var kafka = fixture.App.GetConnectionString("kafka");
        var placed = await OrderEvents.FindAsync(kafka, "order.placed", orderId, OrderingFlow.EventDeadline);
        var redelivered = await OrderEvents.PublishAgainAsync(kafka, placed);
        await OrderEvents.WaitUntilConsumedAsync(kafka, ["kitchen", "billing"], redelivered, OrderingFlow.EventDeadline);

        var tickets = await r.Kitchen.Client.GetOkAsync($"/kitchen/tickets?order_id={orderId}");
        tickets.GetProperty("total").GetInt64().ShouldBe(1);
        tickets.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(ticketId);
        (await r.Customer.Client.GetOkAsync($"/billing/orders/{orderId}")).GetProperty("id").GetGuid().ShouldBe(billId);
        (await OrderEvents.CountAsync(kafka, "bill.events", "bill.generated", orderId)).ShouldBe(1);
    }

    [Fact]
    public async Task Nobody_reads_an_order_that_is_not_theirs()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var orderId = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
        await r.Customer.Client.WaitForBillAsync(orderId);
        var ticketId = (await r.Kitchen.WaitForTicketAsync(orderId)).GetProperty("id").GetGuid();

        using var stranger = await OrderingFlow.SignInAsync(fixture);
        using var otherOwner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        var otherRestaurant = await otherOwner.CreateRestaurantAsync();
        using var otherKitchen = await OrderingFlow.HireKitchenStaffAsync(fixture, otherOwner, otherRestaurant);

        foreach (var path in new[] { $"/orders/{orderId}", $"/orders/{orderId}/timeline", $"/billing/orders/{orderId}" })
        {
            using (var response = await stranger.Client.GetAsync(path)) await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            using (var response = await otherOwner.Client.GetAsync(path)) await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
        using (var response = await otherKitchen.Client.GetAsync($"/orders/{orderId}")) await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await otherOwner.Client.GetAsync($"/kitchen/tickets/{ticketId}")) await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await otherOwner.Client.GetAsync($"/kitchen/tickets?restaurant_id={r.Id}")) await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await stranger.Client.CallAsync(Patch, $"/orders/{orderId}/status", new { status = "CANCELLED" }))
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await otherOwner.Client.CallAsync(Patch, $"/orders/{orderId}/status", new { status = "ACCEPTED" }))
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await otherOwner.Client.CallAsync(HttpMethod.Post, $"/billing/orders/{orderId}/finalize", new { payment_method = "cash" }))
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.Client.GetOkAsync("/orders")).GetProperty("total").GetInt64().ShouldBe(0);
        (await otherOwner.Client.GetOkAsync("/orders")).GetProperty("total").GetInt64().ShouldBe(0);

        // Those whose order it is do read it: its customer, the owner, and the restaurant's kitchen.
        (await r.Customer.Client.GetOkAsync($"/orders/{orderId}")).GetProperty("id").GetGuid().ShouldBe(orderId);
        (await r.Owner.Client.GetOkAsync($"/orders/{orderId}")).GetProperty("id").GetGuid().ShouldBe(orderId);
        (await r.Kitchen.Client.GetOkAsync($"/orders/{orderId}")).GetProperty("id").GetGuid().ShouldBe(orderId);
        (await r.Owner.Client.GetOkAsync($"/orders/{orderId}/timeline")).GetProperty("steps").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Order_lists_are_scoped_filtered_and_paged()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid());
        using (var cancelled = await r.Customer.Client.CallAsync(Patch, $"/orders/{ids[0]}/status", new { status = "CANCELLED" }))
            await cancelled.ShouldHaveStatusAsync(HttpStatusCode.OK);

        var first = await r.Customer.Client.GetOkAsync("/orders?page_size=2");
        first.GetProperty("total").GetInt64().ShouldBe(3);
        first.GetProperty("page").GetInt32().ShouldBe(1);
        first.GetProperty("page_size").GetInt32().ShouldBe(2);
        var second = await r.Customer.Client.GetOkAsync("/orders?page_size=2&page=2");
        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(o => o.GetProperty("id").GetGuid()).ToList();
        listed.ShouldBe(Enumerable.Reverse(ids).ToList(), "newest first, each once");

        var defaults = await r.Customer.Client.GetOkAsync("/orders");
        defaults.GetProperty("page_size").GetInt32().ShouldBe(20);
        defaults.GetProperty("items")[0].GetProperty("items").GetArrayLength().ShouldBe(2);

        var onlyCancelled = await r.Customer.Client.GetOkAsync("/orders?status=CANCELLED");
        onlyCancelled.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ShouldBe([ids[0]]);

        var owners = await r.Owner.Client.GetOkAsync($"/orders?restaurant_id={r.Id}&status=PLACED");
        owners.GetProperty("total").GetInt64().ShouldBe(2);
        (await r.Kitchen.Client.GetOkAsync("/orders")).GetProperty("total").GetInt64().ShouldBe(3);
        (await r.Customer.Client.GetOkAsync($"/orders?restaurant_id={Guid.NewGuid()}")).GetProperty("total").GetInt64().ShouldBe(0);

        using (var tooBig = await r.Customer.Client.GetAsync("/orders?page_size=101")) await tooBig.ShouldNameFieldAsync("page_size");
        using (var zero = await r.Customer.Client.GetAsync("/orders?page=0")) await zero.ShouldNameFieldAsync("page");
        using (var status = await r.Customer.Client.GetAsync("/orders?status=EATEN")) await status.ShouldNameFieldAsync("status");
        using (var ticketStatus = await r.Kitchen.Client.GetAsync("/kitchen/tickets?status=NEW,BURNT")) await ticketStatus.ShouldNameFieldAsync("status");
    }
}
