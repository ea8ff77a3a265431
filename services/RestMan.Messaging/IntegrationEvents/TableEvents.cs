namespace RestMan.Messaging.IntegrationEvents;

// Table events: topic table.events, key: table id, so one table's changes stay in order.

/// <summary>A dining table changed status; <c>current_order_id</c> is the order seated there (null when none).</summary>
public sealed record TableStatusChanged(
    Guid TableId,
    Guid RestaurantId,
    int Number,
    string Section,
    string OldStatus,
    string NewStatus,
    Guid? CurrentOrderId,
    string ChangedBy,
    Guid? ChangedByUserId,
    DateTimeOffset ChangedAt) : IIntegrationEvent<TableStatusChanged>
{
    public static string EventType => "table.status_changed";
}
