using RestMan.Inventory.Infrastructure;
using RestMan.Inventory.Model;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Inventory.IntegrationEvents.EventHandling;

/// <summary>A placed order (round 1 of a table order) reserves its lines' ingredients, numbered as the kitchen numbers them.</summary>
public sealed class OrderPlacedHandler(OrderStock stock) : IIntegrationEventHandler<OrderPlaced>
{
    public Task HandleAsync(OrderPlaced e, EventContext context, CancellationToken ct) =>
        stock.ReserveAsync(context.Tx, e.OrderId, e.RestaurantId,
            e.Items.Select((i, n) => new OrderedLine(n + 1, i.FoodId, i.Quantity, OptionIds(i.Options))).ToList(), ct);

    internal static IReadOnlyList<Guid> OptionIds(IReadOnlyList<OrderItemOption>? options) => options?.Select(o => o.Id).ToList() ?? [];
}

/// <summary>A table's later round reserves its lines.</summary>
public sealed class OrderItemsAddedHandler(OrderStock stock) : IIntegrationEventHandler<OrderItemsAdded>
{
    public Task HandleAsync(OrderItemsAdded e, EventContext context, CancellationToken ct) =>
        stock.ReserveAsync(context.Tx, e.OrderId, e.RestaurantId,
            e.Items.Select(i => new OrderedLine(i.LineNo, i.FoodId, i.Quantity, OrderPlacedHandler.OptionIds(i.Options))).ToList(), ct);
}

/// <summary>A line taken off a table order gives its ingredients back.</summary>
public sealed class OrderItemRemovedHandler(OrderStock stock) : IIntegrationEventHandler<OrderItemRemoved>
{
    public Task HandleAsync(OrderItemRemoved e, EventContext context, CancellationToken ct) =>
        stock.SettleAsync(context.Tx, e.OrderId, consume: false, e.LineNo, ct);
}

/// <summary>A merged order's holdings move with its lines; its CANCELLED that follows then finds nothing to release.</summary>
public sealed class OrderMergedHandler(OrderStock stock) : IIntegrationEventHandler<OrderMerged>
{
    public Task HandleAsync(OrderMerged e, EventContext context, CancellationToken ct) =>
        stock.MergeAsync(context.Tx, e.OrderId, e.IntoOrderId, e.LineOffset, ct);
}

/// <summary>A completed order consumes what it reserved; a cancelled one releases it; other steps change no stock.</summary>
public sealed class OrderClosedHandler(OrderStock stock) : IIntegrationEventHandler<OrderStatusUpdated>
{
    public Task HandleAsync(OrderStatusUpdated e, EventContext context, CancellationToken ct) => e.NewStatus switch
    {
        "COMPLETED" => stock.SettleAsync(context.Tx, e.OrderId, consume: true, lineNo: null, ct),
        "CANCELLED" => stock.SettleAsync(context.Tx, e.OrderId, consume: false, lineNo: null, ct),
        _ => Task.CompletedTask,
    };
}
