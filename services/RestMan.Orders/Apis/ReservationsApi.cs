using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.Model;

namespace RestMan.Orders.Apis;

/// <summary>
/// Booking tables: availability (anyone), booking (customers for themselves, staff for a guest), the day's book and a
/// customer's own reservations, and seating, cancelling or recording a no-show. A table is never booked twice for
/// overlapping slots: the booking locks the table's row in its SERIALIZABLE transaction.
/// </summary>
public static class ReservationsApi
{
    public const string NoTableFree = "no_table_free";

    public static RouteGroupBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/reservations").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var staff = new[] { Roles.Owner, Roles.Waiter };
        var bookers = new[] { Roles.Customer, Roles.Owner, Roles.Waiter };

        api.MapGet("/availability", GetAvailabilityAsync).AllowAnonymous();
        api.MapPost("", BookAsync).RequireAuthorization(p => p.RequireRole(bookers));
        api.MapGet("", ListDayAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapGet("/mine", ListMineAsync).RequireAuthorization(Roles.Customer);
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(p => p.RequireRole(bookers));
        api.MapPost("/{id:guid}/seat", SeatAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(p => p.RequireRole(bookers));
        api.MapPost("/{id:guid}/no-show", NoShowAsync).RequireAuthorization(p => p.RequireRole(staff));

        return api;
    }

    /// <summary>The quarter hours of <c>date</c> (UTC) at which a table seats <c>party_size</c> for a whole slot (two hours).</summary>
    public static async Task<Results<Ok<AvailabilityResponse>, ProblemHttpResult>> GetAvailabilityAsync(
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery] string? date,
        [FromQuery(Name = "party_size")] string? partySize,
        [AsParameters] ReservationServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (restaurantId is null) rules.Add("restaurant_id", "is required.");
        DateOnly day = default;
        if (date is null) rules.Add("date", "is required.");
        else day = ReservationRules.Day(rules, date) ?? default;
        var size = 0;
        if (partySize is null) rules.Add("party_size", "is required.");
        else if (!int.TryParse(partySize, NumberStyles.None, CultureInfo.InvariantCulture, out size)
                 || size is < ReservationRules.MinPartySize or > ReservationRules.MaxPartySize)
            rules.Add("party_size", $"must be a whole number from {ReservationRules.MinPartySize} to {ReservationRules.MaxPartySize}.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var hours = await services.Restaurants.GetOpeningHoursAsync(restaurant!.Value, ct);
        if (hours is null) return Problems.NotFound("The restaurant");
        var candidates = ReservationRules.TimesOn(day, hours, services.Database.Clock.GetUtcNow());
        var (tables, held) = await FloorAsync(restaurant.Value, candidates, services, ct);
        return TypedResults.Ok(new AvailabilityResponse(restaurant.Value, day, size, hours.OpensAt.ToString("HH:mm", CultureInfo.InvariantCulture),
            hours.ClosesAt.ToString("HH:mm", CultureInfo.InvariantCulture), (int)ReservationRules.SlotLength.TotalMinutes,
            ReservationRules.FreeTimes(candidates, tables, size, held)));
    }

    /// <summary>
    /// Books the smallest free table that seats the party. 409 <c>no_table_free</c> with <c>alternatives</c> (the nearest
    /// free times that day) when none is. With an Idempotency-Key, a replay returns the first reservation.
    /// </summary>
    public static async Task<Results<Created<ReservationResponse>, ProblemHttpResult>> BookAsync(
        BookReservationRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] ReservationServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.RestaurantId is null) rules.Add("restaurant_id", "is required.");
        var now = services.Database.Clock.GetUtcNow();
        ReservationRules.Check(rules, request.PartySize, request.Time, now, hours: null);
        var guestName = rules.OptionalText(request.GuestName, "guest_name", 100);
        var notes = rules.OptionalText(request.Notes, "notes", 500);
        IdempotencyKey.Check(idempotencyKey, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var restaurantId = request.RestaurantId!.Value;
        var role = user.Role()!;
        var isCustomer = role == Roles.Customer;
        if (!isCustomer && !await services.Scope.CanSeeAsync(user, restaurantId, ct)) return Problems.NotFound("The restaurant");

        var callerId = user.UserId();
        var key = idempotencyKey is null ? null : new IdempotencyKey(callerId, idempotencyKey, Fingerprint(request));
        if (key is not null && await services.Reservations.FindIdempotencyKeyAsync(callerId, key.Key, ct) is { } known)
            return await AnswerReplayAsync(PlacementOutcome.Of(known, key), services, ct);

        var hours = await services.Restaurants.GetOpeningHoursAsync(restaurantId, ct);
        if (hours is null) return Problems.Validation("restaurant_id", "is not a restaurant that takes reservations.");
        ReservationRules.Check(rules, request.PartySize, request.Time, now, hours);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var partySize = request.PartySize!.Value;
        var at = ReservationRules.ToMinute(request.Time!.Value);
        var fits = (await services.Tables.ListAsync(restaurantId, ct))
            .Where(t => t.Capacity >= partySize)
            .OrderBy(t => t.Capacity).ThenBy(t => t.Number)
            .ToList();
        var reservation = new Reservation(Guid.NewGuid(), restaurantId, Guid.Empty, isCustomer ? callerId : null,
            isCustomer ? guestName : guestName ?? "Guest", partySize, at, ReservationStatus.Booked, notes, role, null, false, now, now);

        // With a key the transaction finds its own earlier commit, so even a commit cut off by a restart may run again.
        // A race lost on the key runs again to find the winner's.
        var policy = key is null ? TransactionRetryPolicy.Default : TransactionRetryPolicy.LookThenInsert with { RetryUncertainCommit = true };
        var lookFirst = IdempotentPlacement.LookFirst(key is not null);
        Reservation? booked = null;
        var earlier = await services.Database.InTransactionAsync(policy, async tx =>
        {
            booked = null;
            if (key is not null && lookFirst() && await services.Reservations.FindIdempotencyKeyAsync(tx, key.CustomerId, key.Key, ct) is { } found)
                return found;
            foreach (var fit in fits)
            {
                // The lock makes every booking of this table wait for the one before it; SERIALIZABLE makes it see that one's slot.
                var table = await services.Tables.LockAsync(tx, fit.Id);
                if (table is null || table.RemovedAt is not null) continue;
                var held = await services.Reservations.HeldAsync(tx, table.Id, at, at, ct);
                if (!ReservationRules.IsFree(table.Id, at, held)) continue;
                booked = reservation with { TableId = table.Id };
                tx.Publish(new ReservationCreated(booked.Id, restaurantId, table.Id, booked.UserId, partySize, at, booked.EndsAt, role, now));
                await services.Reservations.InsertAsync(tx, booked, key, ct);
                return null;
            }
            return null;
        }, ct);

        if (earlier is not null) return await AnswerReplayAsync(PlacementOutcome.Of(earlier, key!), services, ct);
        if (booked is not null)
        {
            services.Logger.LogInformation("Reservation {ReservationId} booked at restaurant {RestaurantId} for {PartySize} at {Time}",
                booked.Id, restaurantId, partySize, at);
            var number = fits.First(t => t.Id == booked.TableId).Number;
            return TypedResults.Created($"/reservations/{booked.Id}", ReservationResponse.From(booked, number));
        }

        var candidates = ReservationRules.TimesOn(DateOnly.FromDateTime(at.UtcDateTime), hours, now);
        var (tables, heldNow) = await FloorAsync(restaurantId, candidates, services, ct);
        var alternatives = ReservationRules.Alternatives(at, candidates, tables, partySize, heldNow);
        var detail = fits.Count == 0
            ? $"No table of this restaurant seats {partySize}."
            : $"No table for {partySize} is free at {at:yyyy-MM-dd HH:mm} UTC; the alternatives are the nearest free times that day.";
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: detail, extensions: new Dictionary<string, object?>
        {
            ["code"] = NoTableFree,
            ["alternatives"] = alternatives,
        });
    }

    /// <summary>A restaurant's reservations on <c>date</c> (UTC), earliest first: the owner's and waiters' book, paged.</summary>
    public static async Task<Results<Ok<ReservationPage>, ProblemHttpResult>> ListDayAsync(
        ClaimsPrincipal user,
        [FromQuery(Name = "restaurant_id")] string? restaurantId,
        [FromQuery] string? date,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [AsParameters] ReservationServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        var day = DateOnly.FromDateTime(services.Database.Clock.GetUtcNow().UtcDateTime);
        if (date is not null) day = ReservationRules.Day(rules, date) ?? day;
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var scope = await services.Scope.ResolveAsync(user, restaurant, ct);
        if (scope is null || (restaurant is null && scope.Count != 1))
            return restaurant is null && scope is { Count: > 1 }
                ? Problems.Validation("restaurant_id", "is required when you have more than one restaurant.")
                : Problems.NotFound("The restaurant");
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var (items, total) = await services.Reservations.ListForRestaurantAsync(scope[0], from, from.AddDays(1), pageNumber, size, ct);
        var numbers = (await services.Tables.ListAsync(scope[0], ct)).ToDictionary(t => t.Id, t => t.Number);
        return TypedResults.Ok(new ReservationPage(
            items.Select(r => ReservationResponse.From(r, numbers.TryGetValue(r.TableId, out var n) ? n : null)).ToList(), pageNumber, size, total));
    }

    /// <summary>The signed-in customer's reservations, latest first, paged.</summary>
    public static async Task<Results<Ok<ReservationPage>, ProblemHttpResult>> ListMineAsync(
        ClaimsPrincipal user,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        [AsParameters] ReservationServices services,
        CancellationToken ct)
    {
        var rules = new InputRules();
        var (pageNumber, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var (items, total) = await services.Reservations.ListForCustomerAsync(user.UserId(), pageNumber, size, ct);
        var answers = new List<ReservationResponse>();
        foreach (var r in items) answers.Add(ReservationResponse.From(r, (await services.Tables.FindAsync(r.TableId, ct))?.Number));
        return TypedResults.Ok(new ReservationPage(answers, pageNumber, size, total));
    }

    public static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ReservationServices services, CancellationToken ct)
    {
        var reservation = await services.Reservations.FindAsync(id, ct);
        return reservation is not null && await CanSeeAsync(user, reservation, services, ct)
            ? TypedResults.Ok(await ResponseAsync(reservation, services, ct))
            : Problems.NotFound("The reservation");
    }

    /// <summary>
    /// The party arrived: opens the table's dine-in order (covers = party size, with this reservation) in the same
    /// transaction that marks the reservation SEATED. 409 when it is not booked any more or its table is taken.
    /// </summary>
    public static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> SeatAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ReservationServices services, CancellationToken ct)
    {
        var known = await services.Reservations.FindAsync(id, ct);
        if (known is null || !await CanSeeAsync(user, known, services, ct)) return Problems.NotFound("The reservation");
        var role = user.Role()!;
        var userId = user.UserId();

        var outcome = await services.Database.InTransactionAsync<Change>(async tx =>
        {
            var reservation = await services.Reservations.LockAsync(tx, id, ct);
            if (reservation is null) return new Change.NotFound();
            if (!ReservationStatus.IsOpen(reservation.Status)) return new Change.Refused(reservation.Status);
            var now = tx.Clock.GetUtcNow();
            var opening = await services.TableOrders.OpenAsync(tx, new StatusChanger(role, userId), reservation.TableId, reservation.PartySize,
                reservation.Id, ct: ct);
            if (opening is not TableOpening.Opened opened)
                return new Change.TableTaken(opening is TableOpening.TableNotFree notFree ? notFree.Table.Status : "removed");
            await services.Reservations.UpdateStatusAsync(tx, id, ReservationStatus.Seated, opened.Order.Id, now, ct);
            tx.Publish(new ReservationSeated(id, reservation.RestaurantId, reservation.TableId, opened.Order.Id, reservation.PartySize,
                reservation.StartsAt, now, userId));
            return new Change.Done();
        }, ct);
        return await AnswerChangeAsync(outcome, id, "seated", services, ct);
    }

    /// <summary>The customer cancels their own reservation, or staff cancel any of their restaurant's, while it is booked.</summary>
    public static Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ReservationServices services, CancellationToken ct) =>
        EndAsync(id, user, ReservationStatus.Cancelled, "cancelled", services, ct, (r, role, userId, now) =>
            new ReservationCancelled(id, r.RestaurantId, r.TableId, r.PartySize, r.StartsAt, role, userId, now));

    /// <summary>Staff record that the party never came, once the reserved time has passed; its table is free again.</summary>
    public static Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> NoShowAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ReservationServices services, CancellationToken ct) =>
        EndAsync(id, user, ReservationStatus.NoShow, "marked a no-show", services, ct, (r, _, userId, now) =>
            new ReservationNoShow(id, r.RestaurantId, r.TableId, r.PartySize, r.StartsAt, userId, now),
            tooEarly: ReservationRules.CanMarkNoShow);

    /// <summary>
    /// Ends a booked reservation (<paramref name="status"/>) with its event, in one transaction that also frees a table the
    /// sweep held for it; <paramref name="tooEarly"/>, when given, must allow the change at this time.
    /// </summary>
    private static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> EndAsync(
        Guid id, ClaimsPrincipal user, string status, string what, ReservationServices services, CancellationToken ct,
        Func<Reservation, string, Guid, DateTimeOffset, IIntegrationEvent> ended, Func<Reservation, DateTimeOffset, bool>? tooEarly = null)
    {
        var known = await services.Reservations.FindAsync(id, ct);
        if (known is null || !await CanSeeAsync(user, known, services, ct)) return Problems.NotFound("The reservation");
        var role = user.Role()!;
        var userId = user.UserId();
        var outcome = await services.Database.InTransactionAsync<Change>(async tx =>
        {
            var reservation = await services.Reservations.LockAsync(tx, id, ct);
            if (reservation is null) return new Change.NotFound();
            if (!ReservationStatus.IsOpen(reservation.Status)) return new Change.Refused(reservation.Status);
            var now = tx.Clock.GetUtcNow();
            if (tooEarly is not null && !tooEarly(reservation, now)) return new Change.TooEarly(reservation.StartsAt);
            await services.Reservations.UpdateStatusAsync(tx, id, status, null, now, ct);
            await FreeTableAsync(tx, reservation, role, userId, services, ct);
            tx.Publish(ended(reservation, role, userId, now));
            return new Change.Done();
        }, ct);
        return await AnswerChangeAsync(outcome, id, what, services, ct);
    }

    /// <summary>A table the sweep held for this reservation goes back to AVAILABLE, unless another reservation due soon holds it.</summary>
    private static async Task FreeTableAsync(UnitOfWork tx, Reservation reservation, string role, Guid userId, ReservationServices services, CancellationToken ct)
    {
        if (!reservation.TableMarked) return;
        var table = await services.Tables.LockAsync(tx, reservation.TableId);
        if (table is null || table.Status != TableStatus.Reserved) return;
        if (await services.Reservations.OtherDueSoonAsync(tx, table.Id, reservation.Id, tx.Clock.GetUtcNow(), ct)) return;
        await services.Tables.SetStatusAsync(tx, table, TableStatus.Available, role, userId);
    }

    /// <summary>How a seat, cancel or no-show ended.</summary>
    private abstract record Change
    {
        public sealed record Done : Change;
        public sealed record NotFound : Change;
        public sealed record Refused(string Status) : Change;
        public sealed record TooEarly(DateTimeOffset StartsAt) : Change;
        public sealed record TableTaken(string TableStatus) : Change;
    }

    private static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> AnswerChangeAsync(
        Change outcome, Guid id, string what, ReservationServices services, CancellationToken ct) => outcome switch
    {
        Change.Done => TypedResults.Ok(await ResponseAsync((await services.Reservations.FindAsync(id, ct))!, services, ct)),
        Change.Refused refused => Problems.Conflict("illegal_transition",
            $"The reservation is {refused.Status}; only a {ReservationStatus.Booked} reservation can be {what}."),
        Change.TooEarly early => Problems.Conflict("too_early",
            $"The reservation is for {early.StartsAt:yyyy-MM-dd HH:mm} UTC; a no-show can be recorded only after that time."),
        Change.TableTaken taken => Problems.Conflict("table_not_free",
            $"The reserved table is {taken.TableStatus}; free it (or move the party) before seating."),
        _ => Problems.NotFound("The reservation"),
    };

    private static async Task<Results<Created<ReservationResponse>, ProblemHttpResult>> AnswerReplayAsync(
        PlacementOutcome outcome, ReservationServices services, CancellationToken ct)
    {
        if (outcome is not PlacementOutcome.Replayed replayed)
            return IdempotencyKey.Reused("booking");
        var reservation = (await services.Reservations.FindAsync(replayed.OrderId, ct))!;
        return TypedResults.Created($"/reservations/{reservation.Id}", await ResponseAsync(reservation, services, ct));
    }

    private static async Task<ReservationResponse> ResponseAsync(Reservation reservation, ReservationServices services, CancellationToken ct) =>
        ReservationResponse.From(reservation, (await services.Tables.FindAsync(reservation.TableId, ct))?.Number);

    /// <summary>The restaurant's tables and the slots held around <paramref name="times"/>.</summary>
    private static async Task<(IReadOnlyList<TableFit>, IReadOnlyList<HeldSlot>)> FloorAsync(
        Guid restaurantId, IReadOnlyList<DateTimeOffset> times, ReservationServices services, CancellationToken ct)
    {
        var tables = (await services.Tables.ListAsync(restaurantId, ct)).Select(t => new TableFit(t.Id, t.Number, t.Capacity)).ToList();
        if (times.Count == 0 || tables.Count == 0) return (tables, []);
        return (tables, await services.Reservations.HeldAsync(restaurantId, times[0], times[^1], ct));
    }

    /// <summary>Its customer, and its restaurant's owner and waiters; to anyone else it does not exist.</summary>
    private static async Task<bool> CanSeeAsync(ClaimsPrincipal user, Reservation reservation, ReservationServices services, CancellationToken ct) =>
        user.Role() == Roles.Customer
            ? reservation.UserId == user.UserId()
            : user.Role() is Roles.Owner or Roles.Waiter && await services.Scope.CanSeeAsync(user, reservation.RestaurantId, ct);

    private static string Fingerprint(BookReservationRequest request)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            request.RestaurantId, request.PartySize, request.Time is { } t ? ReservationRules.ToMinute(t) : null,
            request.GuestName?.Trim(), request.Notes?.Trim(),
        });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
