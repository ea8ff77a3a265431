using System.ComponentModel.DataAnnotations;

namespace RestMan.Orders.Model;

// Request and response bodies of the Reservations API; snake_case on the wire (ServiceDefaults' JSON options).

/// <summary>
/// A booking: a customer books for themselves; staff (owner, waiter) book for a guest, named in <c>guest_name</c>.
/// <c>time</c> is taken to the minute and must be ahead, within the restaurant's opening hours.
/// </summary>
[OpenApiExample("""{"restaurant_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "party_size": 4, "time": "2027-03-11T19:00:00Z", "notes": "Window seat if possible"}""")]
public sealed record BookReservationRequest(
    [property: Required] Guid? RestaurantId,
    [property: Required] int? PartySize,
    [property: Required] DateTimeOffset? Time,
    string? GuestName,
    string? Notes);

public sealed record ReservationResponse(
    Guid Id,
    Guid RestaurantId,
    Guid TableId,
    int? TableNumber,
    Guid? UserId,
    string? GuestName,
    int PartySize,
    DateTimeOffset Time,
    DateTimeOffset EndsAt,
    string Status,
    string? Notes,
    string BookedBy,
    Guid? OrderId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ReservationResponse From(Reservation r, int? tableNumber) => new(
        r.Id, r.RestaurantId, r.TableId, tableNumber, r.UserId, r.GuestName, r.PartySize, r.StartsAt, r.EndsAt, r.Status, r.Notes,
        r.BookedBy, r.OrderId, r.CreatedAt, r.UpdatedAt);
}

public sealed record ReservationPage(IReadOnlyList<ReservationResponse> Items, int Page, int PageSize, long Total);

/// <summary>The times of a day (UTC) at which some table seats the party for a whole slot of <c>slot_minutes</c>.</summary>
public sealed record AvailabilityResponse(
    Guid RestaurantId, DateOnly Date, int PartySize, string OpensAt, string ClosesAt, int SlotMinutes, IReadOnlyList<DateTimeOffset> Times);
