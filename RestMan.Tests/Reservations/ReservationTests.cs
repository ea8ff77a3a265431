using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Reservations;

/// <summary>
/// Booking tables end to end through the gateway: availability from the restaurant's tables and hours, booking with its
/// confirmation email and event, the day's book, cancelling, no-shows, the table held RESERVED when the party is due,
/// and the last free table booked by many at once.
/// </summary>
[Collection(ApplicationCollection.Name)]
[Trait("Category", "Reservations")]
public sealed class ReservationTests(ApplicationFixture fixture)
{
    [Fact]
    public async Task A_customer_books_the_smallest_fitting_table_gets_an_email_and_the_owner_sees_it_in_the_days_book()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await r.AddTableAsync(1, 2, "Main room");
        var four = await r.AddTableAsync(2, 4, "Main room");
        await r.AddTableAsync(3, 8, "Main room");
        var at = ReservationsFlow.Tomorrow(19);

        using var anonymous = fixture.CreateGatewayClient();
        var availability = await anonymous.GetOkAsync($"/reservations/availability?restaurant_id={r.Id}&date={ReservationsFlow.Day(at)}&party_size=3");
        availability.GetProperty("slot_minutes").GetInt32().ShouldBe(120);
        availability.Text("opens_at").ShouldBe("11:00");
        var times = availability.GetProperty("times").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        times.ShouldContain(at);
        times.ShouldAllBe(t => t.TimeOfDay >= TimeSpan.FromHours(11) && t.TimeOfDay < TimeSpan.FromHours(23));

        using var first = await r.Customer.Client.BookAsync(r.Id, 3, at, idempotencyKey: "book-1");
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var booked = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = booked.GetProperty("id").GetGuid();
        booked.Text("status").ShouldBe("BOOKED");
        booked.GetProperty("table_id").GetGuid().ShouldBe(four, "the smallest table seating 3");
        booked.GetProperty("table_number").GetInt32().ShouldBe(2);
        booked.GetProperty("user_id").GetGuid().ShouldBe(r.Customer.UserId);
        booked.GetProperty("ends_at").GetDateTimeOffset().ShouldBe(at.AddHours(2));

        // A retry with the same key is the same reservation, not a second table.
        using var replay = await r.Customer.Client.BookAsync(r.Id, 3, at, idempotencyKey: "book-1");
        await replay.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(id);
        using var reused = await r.Customer.Client.BookAsync(r.Id, 2, at, idempotencyKey: "book-1");
        await reused.ShouldBeProblemAsync((HttpStatusCode)422, "idempotency_key_reused");

        var created = await ReservationsFlow.FindEventAsync(fixture, "reservation.created", id);
        created.Key.ShouldBe(id.ToString());
        created.Data.GetProperty("party_size").GetInt32().ShouldBe(3);
        created.Data.GetProperty("table_id").GetGuid().ShouldBe(four);

        var mail = await OrderingFlow.WaitForMailAsync(fixture, r.Customer.Email, ReservationsFlow.ConfirmationSubject);
        mail.Text.ShouldContain("3 guests");
        mail.Text.ShouldContain("19:00");

        var mine = await r.Customer.Client.GetOkAsync("/reservations/mine");
        mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([id]);

        var book = await r.Owner.Client.GetOkAsync($"/reservations?restaurant_id={r.Id}&date={ReservationsFlow.Day(at)}");
        book.GetProperty("total").GetInt64().ShouldBe(1);
        book.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(id);
        (await r.Owner.Client.GetOkAsync($"/reservations/{id}")).Text("status").ShouldBe("BOOKED");

        // Nobody else sees it: another customer, another owner.
        using var stranger = await OrderingFlow.SignInAsync(fixture);
        (await stranger.Client.GetAsync($"/reservations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var otherOwner = await RestaurantsFlow.SignInOwnerAsync(fixture);
        (await otherOwner.Client.GetAsync($"/reservations?restaurant_id={r.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_book_for_a_guest_by_name_and_no_email_is_owed()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await r.AddTableAsync(1, 4, "Main room");

        var booked = await r.Owner.Client.BookOkAsync(r.Id, 4, ReservationsFlow.Tomorrow(13), guestName: "Rossi");

        booked.Text("guest_name").ShouldBe("Rossi");
        booked.GetProperty("user_id").ValueKind.ShouldBe(JsonValueKind.Null);
        booked.Text("booked_by").ShouldBe("rest");
        // The kitchen books nothing.
        using var kitchen = await r.Kitchen.Client.BookAsync(r.Id, 2, ReservationsFlow.Tomorrow(13));
        kitchen.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_booking_is_a_400_naming_its_field()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await r.AddTableAsync(1, 4, "Main room");
        var client = r.Customer.Client;

        (await (await client.BookAsync(r.Id, 0, ReservationsFlow.Tomorrow(19))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed"))
            .GetProperty("errors").TryGetProperty("party_size", out _).ShouldBeTrue();
        (await (await client.BookAsync(r.Id, 51, ReservationsFlow.Tomorrow(19))).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("party_size", out _).ShouldBeTrue();
        (await (await client.BookAsync(r.Id, 2, DateTimeOffset.UtcNow.AddHours(-1))).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("time")[0].GetString()!.ShouldContain("future");
        (await (await client.BookAsync(r.Id, 2, ReservationsFlow.Tomorrow(3))).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("time")[0].GetString()!.ShouldContain("opening hours (11:00–23:00 UTC)");
        (await (await client.BookAsync(Guid.NewGuid(), 2, ReservationsFlow.Tomorrow(19))).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("restaurant_id", out _).ShouldBeTrue();
        using var noDate = await client.GetAsync($"/reservations/availability?restaurant_id={r.Id}&party_size=2");
        (await noDate.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("date", out _).ShouldBeTrue();

        // The owner's later hours move what may be booked.
        using var hours = await r.Owner.Client.PutAsJsonAsync($"/restaurants/{r.Id}", new { opens_at = "02:00", closes_at = "10:00" });
        await hours.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await hours.Content.ReadFromJsonAsync<JsonElement>()).Text("closes_at").ShouldBe("10:00");
        await r.Customer.Client.BookOkAsync(r.Id, 2, ReservationsFlow.Tomorrow(3));
        using var badHours = await r.Owner.Client.PutAsJsonAsync($"/restaurants/{r.Id}", new { opens_at = "25:00" });
        (await badHours.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("opens_at", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_cancelled_reservation_frees_its_slot_and_only_its_customer_or_the_restaurant_may_cancel_it()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        await r.AddTableAsync(1, 4, "Main room");
        var at = ReservationsFlow.Tomorrow(20);
        var id = (await r.Customer.Client.BookOkAsync(r.Id, 2, at)).GetProperty("id").GetGuid();
        using (var full = await r.Owner.Client.BookAsync(r.Id, 2, at.AddMinutes(30)))
            await full.ShouldBeProblemAsync(HttpStatusCode.Conflict, "no_table_free");

        using var stranger = await OrderingFlow.SignInAsync(fixture);
        (await stranger.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/cancel")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var cancel = await r.Customer.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/cancel");
        await cancel.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await cancel.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("CANCELLED");
        var cancelled = await ReservationsFlow.FindEventAsync(fixture, "reservation.cancelled", id);
        cancelled.Data.GetProperty("changed_by").GetString().ShouldBe("user");

        await (await r.Owner.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/cancel")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");
        await r.Owner.Client.BookOkAsync(r.Id, 2, at.AddMinutes(30), guestName: "Bianchi");
    }

    [Fact]
    public async Task A_reservation_due_soon_holds_its_table_and_a_no_show_after_its_time_frees_it()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        // Open all day, so a booking a minute ahead is within the hours whenever the test runs.
        using (var hours = await r.Owner.Client.PutAsJsonAsync($"/restaurants/{r.Id}", new { opens_at = "00:00", closes_at = "00:00" }))
            await hours.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var table = await r.AddTableAsync(7, 2, "Main room");
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(now.Second >= 50 ? 2 : 1);
        var id = (await r.Customer.Client.BookOkAsync(r.Id, 2, at)).GetProperty("id").GetGuid();

        // Due within 30 minutes: the sweep marks the table RESERVED, as a table.status_changed like any other.
        await r.Owner.Client.WaitForAsync($"/tables/{table}", "status", "RESERVED");

        await (await r.Owner.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/no-show")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "too_early");
        (await r.Customer.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/no-show")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var wait = at - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        using var noShow = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/no-show");
        await noShow.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await noShow.Content.ReadFromJsonAsync<JsonElement>()).Text("status").ShouldBe("NO_SHOW");
        (await ReservationsFlow.FindEventAsync(fixture, "reservation.no_show", id)).Data.GetProperty("table_id").GetGuid().ShouldBe(table);
        (await r.Owner.Client.GetOkAsync($"/tables/{table}")).Text("status").ShouldBe("AVAILABLE");

        // The floor report counts it on its day: one reservation, a no-show, a no-show rate of 1.
        var day = ReservationsFlow.Day(at);
        var row = await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
        {
            var rows = await r.Owner.Client.GetOkAsync($"/analytics/floor?restaurant_id={r.Id}&from={day}&to={day}");
            return rows.GetArrayLength() == 1 && rows[0].GetProperty("no_shows").GetInt64() == 1 ? rows[0] : null;
        }, TimeSpan.FromSeconds(30), "the no-show in ClickHouse");
        row.GetProperty("reservations").GetInt64().ShouldBe(1);
        row.GetProperty("tables_seated").GetInt64().ShouldBe(0);
        row.GetProperty("no_show_rate").GetDouble().ShouldBe(1.0);
    }

    [Fact]
    public async Task Twenty_concurrent_bookings_for_the_last_free_table_confirm_exactly_one_and_offer_the_others_other_times()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var table = await r.AddTableAsync(1, 4, "Main room");
        var at = ReservationsFlow.Tomorrow(19);
        var customers = new List<Person> { r.Customer };
        for (var i = 0; i < 3; i++) customers.Add(await OrderingFlow.SignInAsync(fixture));

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            using var response = await customers[i % customers.Count].Client.BookAsync(r.Id, 2 + i % 3, at);
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        })).ToList();
        var answers = await Task.WhenAll(attempts);

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1, string.Join(", ", answers.Select(a => (int)a.StatusCode)));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
        refused.Count.ShouldBe(19);
        foreach (var (status, body) in refused)
        {
            status.ShouldBe(HttpStatusCode.Conflict);
            body.Text("code").ShouldBe("no_table_free");
            var alternatives = body.GetProperty("alternatives").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
            alternatives.ShouldBe([at.AddHours(-2), at.AddHours(2), at.AddHours(-2).AddMinutes(-15)]);
        }

        var book = await r.Owner.Client.GetOkAsync($"/reservations?restaurant_id={r.Id}&date={ReservationsFlow.Day(at)}");
        book.GetProperty("total").GetInt64().ShouldBe(1);
        book.GetProperty("items")[0].GetProperty("table_id").GetGuid().ShouldBe(table);
        foreach (var c in customers.Skip(1)) c.Dispose();
    }

    [Fact]
    public async Task A_waiter_sees_the_days_book_and_seating_the_party_opens_its_table_order_from_the_reservation()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var table = await r.AddTableAsync(4, 6, "Main room");
        using var waiter = await FloorFlow.HireWaiterAsync(fixture, r);
        var at = ReservationsFlow.Tomorrow(12);
        var id = (await r.Customer.Client.BookOkAsync(r.Id, 5, at)).GetProperty("id").GetGuid();

        var book = await waiter.Client.GetOkAsync($"/reservations?date={ReservationsFlow.Day(at)}");
        book.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(id);

        using var seat = await waiter.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/seat");
        await seat.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var seated = await seat.Content.ReadFromJsonAsync<JsonElement>();
        seated.Text("status").ShouldBe("SEATED");
        var orderId = seated.GetProperty("order_id").GetGuid();

        (await r.Owner.Client.GetOkAsync($"/tables/{table}")).Text("status").ShouldBe("OCCUPIED");
        var seatedEvent = await ReservationsFlow.FindEventAsync(fixture, "reservation.seated", id);
        seatedEvent.Data.GetProperty("order_id").GetGuid().ShouldBe(orderId);
        var placed = await OrderEvents.FindAsync(fixture.App.GetConnectionString("kafka"), "order.placed", orderId, OrderingFlow.EventDeadline);
        placed.Data.GetProperty("reservation_id").GetGuid().ShouldBe(id);
        placed.Data.GetProperty("covers").GetInt32().ShouldBe(5);
        placed.Data.GetProperty("table_id").GetGuid().ShouldBe(table);

        // Seated is final for the book: no second seating, no cancelling, no no-show.
        await (await waiter.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/seat")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");
        await (await r.Customer.Client.CallAsync(HttpMethod.Post, $"/reservations/{id}/cancel")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "illegal_transition");
    }
}
