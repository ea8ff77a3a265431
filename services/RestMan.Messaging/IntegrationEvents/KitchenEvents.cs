namespace RestMan.Messaging.IntegrationEvents;

// Kitchen events: topic kitchen.events, key: order id. The kitchen's own vocabulary: ticket statuses never travel as
// order statuses; Orders turns them into its order's steps and announces those as order.status_updated.
//
// The events of one family share one payload (a base record below); each event type is then a one-line record that
// only names itself. Built with KitchenTicketStep.Create<T>(…) / KitchenItemWork.Create<T>(…).

/// <summary>What every event about one ticket says: which ticket, of which order's round, in which restaurant, when.</summary>
public abstract record KitchenTicketEvent
{
    public Guid TicketId { get; init; }
    public Guid OrderId { get; init; }
    public Guid RestaurantId { get; init; }
    public int Round { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>The kitchen opened a ticket (NEW) for an order's round at one station (null: the kitchen's default).</summary>
public sealed record KitchenTicketOpened(
    Guid TicketId, Guid OrderId, Guid RestaurantId, int Round, bool TableOrder, Guid? StationId, string? StationName,
    int Lines, DateTimeOffset At) : IIntegrationEvent<KitchenTicketOpened>
{
    public static string EventType => "kitchen.ticket_opened";
}

/// <summary>
/// A step of one kitchen ticket. <c>round_status</c> is how far the kitchen is with the whole round across all its
/// tickets (one per station): the least advanced ticket once all are READY or further, else the most advanced one.
/// </summary>
public abstract record KitchenTicketStep : KitchenTicketEvent
{
    public bool TableOrder { get; init; }
    public string TicketStatus { get; init; } = "";
    public string RoundStatus { get; init; } = "";
    public Guid? ChangedByUserId { get; init; }

    public static TStep Create<TStep>(Guid ticketId, Guid orderId, Guid restaurantId, int round, bool tableOrder, string ticketStatus,
        string roundStatus, Guid? changedByUserId, DateTimeOffset at) where TStep : KitchenTicketStep, new() => new()
    {
        TicketId = ticketId, OrderId = orderId, RestaurantId = restaurantId, Round = round, TableOrder = tableOrder,
        TicketStatus = ticketStatus, RoundStatus = roundStatus, ChangedByUserId = changedByUserId, At = at,
    };
}

/// <summary>
/// A ticket was accepted (ACCEPTED). <c>estimated_ready_at</c>: when the kitchen expects the round ready, if it said
/// (absent on events from before estimates).
/// </summary>
public sealed record KitchenTicketAccepted : KitchenTicketStep, IIntegrationEvent<KitchenTicketAccepted>
{
    public static string EventType => "kitchen.ticket_accepted";

    public DateTimeOffset? EstimatedReadyAt { get; init; }
}

/// <summary>Cooking of a ticket began (IN_PROGRESS): staff started it, or started one of its lines.</summary>
public sealed record KitchenTicketStarted : KitchenTicketStep, IIntegrationEvent<KitchenTicketStarted>
{
    public static string EventType => "kitchen.ticket_started";
}

/// <summary>Every line of a ticket is bumped (READY).</summary>
public sealed record KitchenTicketReady : KitchenTicketStep, IIntegrationEvent<KitchenTicketReady>
{
    public static string EventType => "kitchen.ticket_ready";
}

/// <summary>A ticket's food went out to service (DELIVERED_TO_SERVICE).</summary>
public sealed record KitchenTicketDelivered : KitchenTicketStep, IIntegrationEvent<KitchenTicketDelivered>
{
    public static string EventType => "kitchen.ticket_delivered";
}

/// <summary>Work on one line of a ticket; <c>order_line_no</c> is the order's line it cooks.</summary>
public abstract record KitchenItemWork : KitchenTicketEvent
{
    public int LineNo { get; init; }
    public int OrderLineNo { get; init; }
    public Guid? ChangedByUserId { get; init; }

    public static TWork Create<TWork>(Guid ticketId, Guid orderId, Guid restaurantId, int round, int lineNo, int orderLineNo,
        Guid? changedByUserId, DateTimeOffset at) where TWork : KitchenItemWork, new() => new()
    {
        TicketId = ticketId, OrderId = orderId, RestaurantId = restaurantId, Round = round, LineNo = lineNo,
        OrderLineNo = orderLineNo, ChangedByUserId = changedByUserId, At = at,
    };
}

/// <summary>A cook started one line of a ticket.</summary>
public sealed record KitchenItemStarted : KitchenItemWork, IIntegrationEvent<KitchenItemStarted>
{
    public static string EventType => "kitchen.item_started";
}

/// <summary>A cook bumped one line of a ticket: it is done.</summary>
public sealed record KitchenItemBumped : KitchenItemWork, IIntegrationEvent<KitchenItemBumped>
{
    public static string EventType => "kitchen.item_bumped";
}

/// <summary>Staff raised or lowered a ticket's priority (<c>normal</c>, <c>high</c>, <c>urgent</c>).</summary>
public sealed record KitchenTicketPrioritized : KitchenTicketEvent, IIntegrationEvent<KitchenTicketPrioritized>
{
    public static string EventType => "kitchen.ticket_prioritized";

    public string Priority { get; init; } = "";
    public string PreviousPriority { get; init; } = "";
    public Guid? StationId { get; init; }
    public Guid? ChangedByUserId { get; init; }
}

/// <summary>
/// A ticket still in the kitchen passed its delay threshold (its station's, else its restaurant's): raised once per
/// ticket. <c>opened_at</c>: when the ticket was opened; <c>threshold_seconds</c>: the threshold it passed.
/// </summary>
public sealed record KitchenTicketDelayed : KitchenTicketEvent, IIntegrationEvent<KitchenTicketDelayed>
{
    public static string EventType => "kitchen.ticket_delayed";

    public Guid? StationId { get; init; }
    public string? StationName { get; init; }
    public string? OrderNumber { get; init; }
    public string Priority { get; init; } = "";
    public DateTimeOffset OpenedAt { get; init; }
    public int ThresholdSeconds { get; init; }
}
