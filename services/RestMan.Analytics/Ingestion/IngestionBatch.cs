using System.Diagnostics;

namespace RestMan.Analytics.Ingestion;

/// <summary>
/// Rows gathered from one batch of consumed messages. Rows are order-independent (ReplacingMergeTree keys and
/// versions), so a batch may be written more than once.
/// </summary>
public sealed class IngestionBatch
{
    public List<OrderRow> Orders { get; } = [];
    public List<OrderItemRow> OrderItems { get; } = [];
    public List<OrderStatusRow> OrderStatuses { get; } = [];
    public List<OrderPaymentRow> OrderPayments { get; } = [];
    public List<MenuFoodRow> MenuFoods { get; } = [];
    public List<MenuCategoryRow> MenuCategories { get; } = [];
    public List<TableVisitRow> TableVisits { get; } = [];
    public List<ReservationRow> Reservations { get; } = [];
    public List<PaymentRow> Payments { get; } = [];
    public List<RefundRow> Refunds { get; } = [];
    public List<OrderItemOptionRow> OrderItemOptions { get; } = [];
    public List<KitchenDelayRow> KitchenDelays { get; } = [];

    /// <summary>The producers' traces of the messages, for the batch span's links.</summary>
    public List<ActivityContext> Traces { get; } = [];

    /// <summary>Messages taken into the batch, rows or not (ignored and dead-lettered ones are committed too).</summary>
    public int MessageCount { get; private set; }

    /// <summary>Messages that contributed rows.</summary>
    public int EventCount { get; private set; }

    public bool IsEmpty => MessageCount == 0;

    public void Consumed(ActivityContext? trace)
    {
        MessageCount++;
        if (trace is { } context) Traces.Add(context);
    }

    public void Mapped() => EventCount++;
}
