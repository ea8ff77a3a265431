using System.Collections.Frozen;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Messaging;

/// <summary>How one event type travels: its topic, its message key, its payload type.</summary>
public sealed class EventDescriptor
{
    private readonly Func<IIntegrationEvent, string> _keyOf;

    internal EventDescriptor(string eventType, int version, string topic, Type payloadType, Func<IIntegrationEvent, string> keyOf)
    {
        EventType = eventType;
        Version = version;
        Topic = topic;
        PayloadType = payloadType;
        _keyOf = keyOf;
    }

    public string EventType { get; }
    public int Version { get; }

    /// <summary>The topic's logical name; a host may prefix it (see <see cref="MessagingOptions.TopicPrefix"/>).</summary>
    public string Topic { get; }

    public Type PayloadType { get; }

    /// <summary>The Kafka message key: the aggregate id, so one aggregate's events share a partition and stay in order.</summary>
    public string KeyOf(IIntegrationEvent integrationEvent) => _keyOf(integrationEvent);
}

/// <summary>The one place that says, for every RestMan event type, which topic it goes to and what keys it.</summary>
public static class EventCatalog
{
    private static readonly EventDescriptor[] Descriptors =
    [
        Describe<UserLoginSucceeded>(Topics.User, e => e.UserId),
        Describe<UserDeactivated>(Topics.User, e => e.UserId),

        Describe<MenuCategoryCreated>(Topics.Menu, e => e.RestaurantId),
        Describe<MenuCategoryUpdated>(Topics.Menu, e => e.RestaurantId),
        Describe<MenuCategoryDeleted>(Topics.Menu, e => e.RestaurantId),
        Describe<MenuFoodCreated>(Topics.Menu, e => e.RestaurantId),
        Describe<MenuFoodUpdated>(Topics.Menu, e => e.RestaurantId),
        Describe<MenuFoodDeleted>(Topics.Menu, e => e.RestaurantId),

        Describe<OrderPlaced>(Topics.Order, e => e.OrderId),
        Describe<OrderStatusUpdated>(Topics.Order, e => e.OrderId),
        Describe<OrderItemsAdded>(Topics.Order, e => e.OrderId),
        Describe<OrderItemRemoved>(Topics.Order, e => e.OrderId),
        Describe<OrderTableMoved>(Topics.Order, e => e.OrderId),
        // Keyed by the merged-from order: it follows that order's earlier events and precedes its CANCELLED.
        Describe<OrderMerged>(Topics.Order, e => e.OrderId),

        // Keyed by order, not bill: a bill's events then follow its order's on every consumer.
        Describe<BillGenerated>(Topics.Bill, e => e.OrderId),
        Describe<BillPaid>(Topics.Bill, e => e.OrderId),
        Describe<PaymentCompleted>(Topics.Bill, e => e.OrderId),
        Describe<PaymentFailed>(Topics.Bill, e => e.OrderId),
        Describe<DiscountApplied>(Topics.Bill, e => e.OrderId),
        Describe<RefundIssued>(Topics.Bill, e => e.OrderId),

        Describe<TableStatusChanged>(Topics.Table, e => e.TableId),

        Describe<ReservationCreated>(Topics.Reservation, e => e.ReservationId),
        Describe<ReservationSeated>(Topics.Reservation, e => e.ReservationId),
        Describe<ReservationCancelled>(Topics.Reservation, e => e.ReservationId),
        Describe<ReservationNoShow>(Topics.Reservation, e => e.ReservationId),

        // Keyed by order: all the tickets of an order (its rounds and stations) reach Orders in the order they moved.
        Describe<KitchenTicketOpened>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketAccepted>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketStarted>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketReady>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketDelivered>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenItemStarted>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenItemBumped>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketPrioritized>(Topics.Kitchen, e => e.OrderId),
        Describe<KitchenTicketDelayed>(Topics.Kitchen, e => e.OrderId),

        Describe<InventoryLowStock>(Topics.Inventory, e => e.RestaurantId),
        Describe<InventoryDepleted>(Topics.Inventory, e => e.RestaurantId),
        Describe<InventoryFoodAvailabilityChanged>(Topics.Inventory, e => e.RestaurantId),
    ];

    private static readonly FrozenDictionary<string, EventDescriptor> ByEventType =
        Descriptors.ToFrozenDictionary(d => d.EventType, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, EventDescriptor> ByPayloadType =
        Descriptors.ToFrozenDictionary(d => d.PayloadType);

    public static IReadOnlyList<EventDescriptor> All => Descriptors;

    public static EventDescriptor Of<TEvent>() where TEvent : IIntegrationEvent => Of(typeof(TEvent));

    public static EventDescriptor Of(IIntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        return Of(integrationEvent.GetType());
    }

    public static bool TryGet(string eventType, out EventDescriptor descriptor) =>
        ByEventType.TryGetValue(eventType, out descriptor!);

    private static EventDescriptor Of(Type payloadType) =>
        ByPayloadType.TryGetValue(payloadType, out var descriptor)
            ? descriptor
            : throw new InvalidOperationException($"{payloadType.Name} is not in the {nameof(EventCatalog)}: add it there with its topic and key.");

    private static EventDescriptor Describe<TEvent>(string topic, Func<TEvent, Guid> aggregateId) where TEvent : IIntegrationEvent<TEvent> =>
        new(TEvent.EventType, TEvent.Version, topic, typeof(TEvent), e => aggregateId((TEvent)e).ToString());
}
