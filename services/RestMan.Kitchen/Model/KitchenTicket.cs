namespace RestMan.Kitchen.Model;

public sealed record KitchenTicket(
    Guid Id,
    Guid OrderId,
    Guid RestaurantId,
    string OrderType,
    string? Notes,
    string Status,
    DateTimeOffset PlacedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt)
{
    public IReadOnlyList<KitchenTicketItem> Items { get; init; } = [];

    /// <summary>The round of a table order this ticket cooks (1 for an online order).</summary>
    public int Round { get; init; } = 1;

    /// <summary>The short number the order is called by (e.g. <c>A-042</c>); null for orders from before numbers.</summary>
    public string? OrderNumber { get; init; }

    /// <summary>The table of a table order; null online.</summary>
    public Guid? TableId { get; init; }

    public int? TableNumber { get; init; }

    public bool IsTableOrder => TableId is not null;

    /// <summary>The station cooking this ticket; <see cref="StationRouting.WholeKitchen"/> (no name) when not split.</summary>
    public Guid StationId { get; init; }

    public string? StationName { get; init; }

    /// <summary>normal, high or urgent (<see cref="TicketPriority"/>).</summary>
    public string Priority { get; init; } = TicketPriority.Normal;

    /// <summary>When the kitchen said, on accepting, it expects the ticket ready.</summary>
    public DateTimeOffset? EstimatedReadyAt { get; init; }

    /// <summary>When the delay sweep found it late (and raised <c>kitchen.ticket_delayed</c>, once).</summary>
    public DateTimeOffset? DelayedAt { get; init; }
}

/// <summary>A line to cook; <see cref="OrderLineNo"/> is the order's line it came from, <see cref="Voided"/> when it was taken off.</summary>
public sealed record KitchenTicketItem(Guid FoodId, string FoodName, int Quantity, int? OrderLineNo = null, bool Voided = false)
{
    /// <summary>The line's number on its ticket (1, 2, …), as the item endpoints name it.</summary>
    public int LineNo { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? BumpedAt { get; init; }

    public string Status => Voided ? TicketItemStatus.Voided
        : BumpedAt is not null ? TicketItemStatus.Ready
        : StartedAt is not null ? TicketItemStatus.InProgress
        : TicketItemStatus.New;

    /// <summary>How the guest wants it: the modifier options chosen (e.g. Size: Large).</summary>
    public IReadOnlyList<TicketItemOption> Options { get; init; } = [];

    /// <summary>The guest's note on this line ("no onions").</summary>
    public string? Note { get; init; }

    /// <summary>The food's allergens when ordered, in plain sight on the line.</summary>
    public IReadOnlyList<string> Allergens { get; init; } = [];

    /// <summary>The line from an order event's item (options, note and allergens absent on events from before modifiers).</summary>
    public static KitchenTicketItem From(
        Guid foodId, string foodName, int quantity, int orderLineNo, IReadOnlyList<RestMan.Messaging.IntegrationEvents.OrderItemOption>? options,
        string? note, IReadOnlyList<string>? allergens) => new(foodId, foodName, quantity, orderLineNo)
    {
        Options = (options ?? []).Select(o => new TicketItemOption(o.Group, o.Name)).ToList(),
        Note = note,
        Allergens = allergens ?? [],
    };
}

/// <summary>A modifier option on a ticket line: its group and name.</summary>
public sealed record TicketItemOption(string Group, string Name);
