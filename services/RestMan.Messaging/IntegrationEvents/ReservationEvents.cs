namespace RestMan.Messaging.IntegrationEvents;

// Reservation events: topic reservation.events, key: reservation id, so one reservation's events stay in order.

/// <summary>A table was booked for a party at a time; <c>user_id</c> is null when staff booked for a guest.</summary>
public sealed record ReservationCreated(
    Guid ReservationId,
    Guid RestaurantId,
    Guid TableId,
    Guid? UserId,
    int PartySize,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string BookedBy,
    DateTimeOffset CreatedAt) : IIntegrationEvent<ReservationCreated>
{
    public static string EventType => "reservation.created";
}

/// <summary>The party arrived and sits at its table; <c>order_id</c> is the table order opened for it.</summary>
public sealed record ReservationSeated(
    Guid ReservationId,
    Guid RestaurantId,
    Guid TableId,
    Guid OrderId,
    int PartySize,
    DateTimeOffset StartsAt,
    DateTimeOffset SeatedAt,
    Guid? ChangedByUserId) : IIntegrationEvent<ReservationSeated>
{
    public static string EventType => "reservation.seated";
}

/// <summary>The customer or the restaurant cancelled; <c>changed_by</c> is the role that did.</summary>
public sealed record ReservationCancelled(
    Guid ReservationId,
    Guid RestaurantId,
    Guid TableId,
    int PartySize,
    DateTimeOffset StartsAt,
    string ChangedBy,
    Guid? ChangedByUserId,
    DateTimeOffset CancelledAt) : IIntegrationEvent<ReservationCancelled>
{
    public static string EventType => "reservation.cancelled";
}

/// <summary>The party never came; staff recorded it after the reserved time.</summary>
public sealed record ReservationNoShow(
    Guid ReservationId,
    Guid RestaurantId,
    Guid TableId,
    int PartySize,
    DateTimeOffset StartsAt,
    Guid? ChangedByUserId,
    DateTimeOffset RecordedAt) : IIntegrationEvent<ReservationNoShow>
{
    public static string EventType => "reservation.no_show";
}
