namespace RestMan.Messaging.IntegrationEvents;

// Kitchen events: topic kitchen.events, key: order id. The kitchen's own vocabulary: ticket statuses never travel as
// order statuses; Orders turns them into its order's steps and announces those as order.status_updated.

/// <summary>
/// A step of one kitchen ticket. <c>round_status</c> is how far the kitchen is with the whole round across all its
/// tickets (one per station): the least advanced ticket once all are READY or further, else the most advanced one.
/// </summary>
public interface IKitchenTicketStep
{
    Guid TicketId { get; }
    Guid OrderId { get; }
    Guid RestaurantId { get; }
    int Round { get; }
    bool TableOrder { get; }
    string TicketStatus { get; }
    string RoundStatus { get; }
    Guid? ChangedByUserId { get; }
    DateTimeOffset At { get; }
}

/// <summary>The kitchen opened a ticket (NEW) for an order's round at one station (null: the kitchen's default).</summary>
public sealed record KitchenTicketOpened(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, Guid? StationId, string? StationName,
    int Lines, DateTimeOffset At) : IIntegrationEvent<KitchenTicketOpened>
{
    public static string EventType => "kitchen.ticket_opened";
}

/// <summary>A ticket was accepted (ACCEPTED).</summary>
public sealed record KitchenTicketAccepted(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, string TicketStatus, string RoundStatus,
    Guid? ChangedByUserId, DateTimeOffset At) : IKitchenTicketStep, IIntegrationEvent<KitchenTicketAccepted>
{
    public static string EventType => "kitchen.ticket_accepted";
}

/// <summary>Cooking of a ticket began (IN_PROGRESS): staff started it, or started one of its lines.</summary>
public sealed record KitchenTicketStarted(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, string TicketStatus, string RoundStatus,
    Guid? ChangedByUserId, DateTimeOffset At) : IKitchenTicketStep, IIntegrationEvent<KitchenTicketStarted>
{
    public static string EventType => "kitchen.ticket_started";
}

/// <summary>Every line of a ticket is bumped (READY).</summary>
public sealed record KitchenTicketReady(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, string TicketStatus, string RoundStatus,
    Guid? ChangedByUserId, DateTimeOffset At) : IKitchenTicketStep, IIntegrationEvent<KitchenTicketReady>
{
    public static string EventType => "kitchen.ticket_ready";
}

/// <summary>A ticket's food went out to service (DELIVERED_TO_SERVICE).</summary>
public sealed record KitchenTicketDelivered(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, string TicketStatus, string RoundStatus,
    Guid? ChangedByUserId, DateTimeOffset At) : IKitchenTicketStep, IIntegrationEvent<KitchenTicketDelivered>
{
    public static string EventType => "kitchen.ticket_delivered";
}

/// <summary>A cook started one line of a ticket; <c>order_line_no</c> is the order's line it cooks.</summary>
public sealed record KitchenItemStarted(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, int LineNo, int OrderLineNo, Guid? ChangedByUserId, DateTimeOffset At)
    : IIntegrationEvent<KitchenItemStarted>
{
    public static string EventType => "kitchen.item_started";
}

/// <summary>A cook bumped one line of a ticket: it is done.</summary>
public sealed record KitchenItemBumped(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, int LineNo, int OrderLineNo, Guid? ChangedByUserId, DateTimeOffset At)
    : IIntegrationEvent<KitchenItemBumped>
{
    public static string EventType => "kitchen.item_bumped";
}
