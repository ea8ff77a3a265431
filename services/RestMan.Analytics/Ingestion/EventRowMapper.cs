using System.Collections.Frozen;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Analytics.Ingestion;

/// <summary>The payload of an event is not usable for analytics (a required field is missing or out of range).</summary>
public sealed class UnusableEventException(string message) : Exception(message);

/// <summary>
/// Turns an event envelope into the rows it contributes. Pure: the same envelope always yields the same rows, which is
/// what makes a redelivery rewrite rows instead of adding them.
/// </summary>
public sealed class EventRowMapper
{
    public const string PlacedStatus = "PLACED";
    public const string PaidStatus = "PAID";
    public const string BookedStatus = "BOOKED";
    public const string SeatedStatus = "SEATED";
    public const string CancelledStatus = "CANCELLED";
    public const string NoShowStatus = "NO_SHOW";

    private static readonly DateTimeOffset EarliestTimestamp = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestTimestamp = new(2105, 12, 31, 23, 59, 59, TimeSpan.Zero);
    private const decimal MoneyLimit = 10_000_000_000m;

    private readonly FrozenDictionary<string, Action<EventEnvelope, IngestionBatch>> _mappings;

    public EventRowMapper()
    {
        _mappings = new Dictionary<string, Action<EventEnvelope, IngestionBatch>>
        {
            [OrderPlaced.EventType] = (e, batch) => AddOrderPlaced(e, e.DataAs<OrderPlaced>(), batch),
            [OrderStatusUpdated.EventType] = (e, batch) => AddStatusUpdate(e, e.DataAs<OrderStatusUpdated>(), batch),
            [BillPaid.EventType] = (e, batch) => AddBillPaid(e.DataAs<BillPaid>(), batch),
            [PaymentCompleted.EventType] = (e, batch) => AddPayment(e.DataAs<PaymentCompleted>(), batch),
            [RefundIssued.EventType] = (e, batch) => AddRefund(e.DataAs<RefundIssued>(), batch),
            [KitchenTicketDelayed.EventType] = (e, batch) => AddDelay(e.DataAs<KitchenTicketDelayed>(), batch),
            [MenuFoodCreated.EventType] = (e, batch) => AddFood(e, FoodFacts.Of(e.DataAs<MenuFoodCreated>()), deleted: false, batch),
            [MenuFoodUpdated.EventType] = (e, batch) => AddFood(e, FoodFacts.Of(e.DataAs<MenuFoodUpdated>()), deleted: false, batch),
            [MenuFoodDeleted.EventType] = (e, batch) => AddFood(e, FoodFacts.Of(e.DataAs<MenuFoodDeleted>()), deleted: true, batch),
            [MenuCategoryCreated.EventType] = (e, batch) => AddCategory(e, CategoryFacts.Of(e.DataAs<MenuCategoryCreated>()), deleted: false, batch),
            [MenuCategoryUpdated.EventType] = (e, batch) => AddCategory(e, CategoryFacts.Of(e.DataAs<MenuCategoryUpdated>()), deleted: false, batch),
            [MenuCategoryDeleted.EventType] = (e, batch) => AddCategory(e, CategoryFacts.Of(e.DataAs<MenuCategoryDeleted>()), deleted: true, batch),
            [ReservationCreated.EventType] = (e, batch) => AddReservation(e, ReservationFacts.Of(e.DataAs<ReservationCreated>()), batch),
            [ReservationSeated.EventType] = (e, batch) => AddReservation(e, ReservationFacts.Of(e.DataAs<ReservationSeated>()), batch),
            [ReservationCancelled.EventType] = (e, batch) => AddReservation(e, ReservationFacts.Of(e.DataAs<ReservationCancelled>()), batch),
            [ReservationNoShow.EventType] = (e, batch) => AddReservation(e, ReservationFacts.Of(e.DataAs<ReservationNoShow>()), batch),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The event types this service ingests, and so (through the catalog) the topics it reads.</summary>
    public IEnumerable<string> EventTypes => _mappings.Keys;

    /// <summary>Adds the envelope's rows to the batch; false when analytics has no use for this event.</summary>
    /// <exception cref="System.Text.Json.JsonException">The payload does not match its event type.</exception>
    /// <exception cref="UnusableEventException">A required field is missing or out of range.</exception>
    public bool TryAdd(EventEnvelope envelope, IngestionBatch batch)
    {
        if (!_mappings.TryGetValue(envelope.EventType, out var map))
        {
            return false;
        }

        map(envelope, batch);
        return true;
    }

    private static void AddOrderPlaced(EventEnvelope envelope, OrderPlaced order, IngestionBatch batch)
    {
        Require(order.OrderId, "order_id");
        Require(order.RestaurantId, "restaurant_id");
        Require(order.OrderType, "order_type");
        // A table order may be opened before its first round: no items yet, and still an order (and its covers).
        if (order.Items is null || order.Items.Count > ushort.MaxValue || (order.Items.Count == 0 && order.TableId is null))
        {
            throw new UnusableEventException($"The event has no items, or more than {ushort.MaxValue}.");
        }

        var placedAt = Timestamp(order.PlacedAt, "placed_at");
        var eventDate = DateOnly.FromDateTime(placedAt);
        var eventTimestamp = Timestamp(envelope.Timestamp, "timestamp");
        var orderType = order.OrderType.ToLowerInvariant();

        // Every row is built before any is added, so an unusable item leaves no half of the order behind.
        var items = order.Items.Select((item, line) =>
        {
            Require(item.FoodId, "items.food_id");
            if (item.Quantity <= 0)
            {
                throw new UnusableEventException("The event has an item with a quantity below 1.");
            }

            return new OrderItemRow(eventDate, eventTimestamp, order.OrderId, (ushort)line, order.RestaurantId, item.FoodId,
                item.FoodName ?? "", (uint)item.Quantity, Amount(item.UnitPrice, "items.unit_price"),
                Amount(item.LineTotal, "items.line_total"), orderType, placedAt);
        }).ToList();
        var row = new OrderRow(eventDate, eventTimestamp, order.OrderId, order.UserId, order.RestaurantId, orderType,
            Amount(order.TotalPrice, "total_price"), placedAt);

        var options = order.Items.SelectMany((item, line) => (item.Options ?? []).Select(option =>
        {
            Require(option.Id, "items.options.id");
            return new OrderItemOptionRow(eventDate, order.RestaurantId, order.OrderId, (ushort)line, option.Id, option.Group ?? "", option.Name ?? "",
                (uint)item.Quantity, Amount(option.PriceDelta * item.Quantity, "items.options.price_delta"));
        })).ToList();

        batch.Orders.Add(row);
        batch.OrderItems.AddRange(items);
        batch.OrderItemOptions.AddRange(options);
        if (order.TableId is { } tableId)
        {
            batch.TableVisits.Add(new TableVisitRow(eventDate, order.RestaurantId, order.OrderId, tableId,
                (ushort)Math.Clamp(order.Covers ?? 0, 0, ushort.MaxValue), placedAt, order.ReservationId ?? Guid.Empty));
        }
        batch.OrderStatuses.Add(new OrderStatusRow(order.OrderId, PlacedStatus, placedAt, VersionOf(order.PlacedAt)));
    }

    private static void AddStatusUpdate(EventEnvelope envelope, OrderStatusUpdated update, IngestionBatch batch)
    {
        Require(update.OrderId, "order_id");
        Require(update.NewStatus, "new_status");
        var changedAt = update.ChangedAt == default ? envelope.Timestamp : update.ChangedAt;
        batch.OrderStatuses.Add(new OrderStatusRow(update.OrderId, update.NewStatus.ToUpperInvariant(), Timestamp(changedAt, "changed_at"),
            VersionOf(changedAt)));
    }

    private static void AddBillPaid(BillPaid bill, IngestionBatch batch)
    {
        Require(bill.OrderId, "order_id");
        batch.OrderPayments.Add(new OrderPaymentRow(bill.OrderId, bill.BillId, bill.RestaurantId, PaidStatus,
            bill.PaymentMethod ?? "", Amount(bill.TotalAmount, "total_amount"), Timestamp(bill.PaidAt, "paid_at"), VersionOf(bill.PaidAt)));
    }

    private static void AddPayment(PaymentCompleted payment, IngestionBatch batch)
    {
        Require(payment.PaymentId, "payment_id");
        Require(payment.RestaurantId, "restaurant_id");
        Require(payment.Method, "method");
        var completedAt = Timestamp(payment.CompletedAt, "completed_at");
        batch.Payments.Add(new PaymentRow(DateOnly.FromDateTime(completedAt), payment.RestaurantId, payment.OrderId, payment.PaymentId,
            payment.Method.ToLowerInvariant(), Amount(payment.Amount, "amount"), Amount(payment.Tip, "tip"), completedAt));
    }

    private static void AddRefund(RefundIssued refund, IngestionBatch batch)
    {
        Require(refund.RefundId, "refund_id");
        Require(refund.RestaurantId, "restaurant_id");
        var refundedAt = Timestamp(refund.IssuedAt, "issued_at");
        foreach (var payment in refund.Payments ?? [])
        {
            Require(payment.PaymentId, "payment_id");
            Require(payment.Method, "method");
            batch.Refunds.Add(new RefundRow(DateOnly.FromDateTime(refundedAt), refund.RestaurantId, refund.OrderId, refund.RefundId, payment.PaymentId,
                payment.Method.ToLowerInvariant(), Amount(payment.Amount, "amount"), refundedAt));
        }
    }

    private static void AddDelay(KitchenTicketDelayed delay, IngestionBatch batch)
    {
        Require(delay.TicketId, "ticket_id");
        Require(delay.RestaurantId, "restaurant_id");
        var delayedAt = Timestamp(delay.At, "at");
        batch.KitchenDelays.Add(new KitchenDelayRow(DateOnly.FromDateTime(delayedAt), delay.RestaurantId, delay.TicketId, delay.OrderId,
            delay.StationId ?? Guid.Empty, delay.StationName ?? "", (uint)Math.Max(0, delay.ThresholdSeconds), Timestamp(delay.OpenedAt, "opened_at"), delayedAt));
    }

    private static void AddReservation(EventEnvelope envelope, ReservationFacts reservation, IngestionBatch batch)
    {
        Require(reservation.ReservationId, "reservation_id");
        Require(reservation.RestaurantId, "restaurant_id");
        var startsAt = Timestamp(reservation.StartsAt, "starts_at");
        // The event's own time orders a reservation's states; a missing one falls back to when it was published.
        var changedAt = reservation.ChangedAt == default ? envelope.Timestamp : reservation.ChangedAt;
        _ = Timestamp(changedAt, "changed_at");
        batch.Reservations.Add(new ReservationRow(DateOnly.FromDateTime(startsAt), reservation.RestaurantId, reservation.ReservationId,
            reservation.Status, (ushort)Math.Clamp(reservation.PartySize, 0, ushort.MaxValue), VersionOf(changedAt)));
    }

    private static void AddFood(EventEnvelope envelope, FoodFacts food, bool deleted, IngestionBatch batch)
    {
        Require(food.RestaurantId, "restaurant_id");
        Require(food.FoodId, "food_id");
        batch.MenuFoods.Add(new MenuFoodRow(food.RestaurantId, food.FoodId, food.CategoryId ?? Guid.Empty, food.CategoryName ?? "",
            food.Name ?? "", Amount(food.Price, "price"), food.IsAvailable, deleted, VersionOf(envelope.Timestamp)));
    }

    private static void AddCategory(EventEnvelope envelope, CategoryFacts category, bool deleted, IngestionBatch batch)
    {
        Require(category.RestaurantId, "restaurant_id");
        Require(category.CategoryId, "category_id");
        batch.MenuCategories.Add(new MenuCategoryRow(category.RestaurantId, category.CategoryId, category.Name ?? "", deleted,
            VersionOf(envelope.Timestamp)));
    }

    /// <summary>Microseconds since the Unix epoch: finer than ClickHouse 18.16's DateTime, which keeps whole seconds.</summary>
    private static ulong VersionOf(DateTimeOffset at) => (ulong)Math.Max(0, (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);

    /// <summary>A UTC time ClickHouse's DateTime can hold; a row it would refuse would block its whole batch.</summary>
    private static DateTime Timestamp(DateTimeOffset value, string field) =>
        value >= EarliestTimestamp && value <= LatestTimestamp
            ? value.UtcDateTime
            : throw new UnusableEventException($"The event's {field} ({value:O}) is outside what analytics can store.");

    /// <summary>An amount Decimal(12, 2) can hold, rounded to cents.</summary>
    private static decimal Amount(decimal value, string field) =>
        Math.Abs(value) < MoneyLimit
            ? Money.Round(value)
            : throw new UnusableEventException($"The event's {field} is too large.");

    private static void Require(Guid value, string field)
    {
        if (value == Guid.Empty)
        {
            throw new UnusableEventException($"The event has no {field}.");
        }
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UnusableEventException($"The event has no {field}.");
        }
    }

    // The three food events (and the three category events) carry the same fields under different types.
    private readonly record struct FoodFacts(
        Guid RestaurantId, Guid FoodId, Guid? CategoryId, string? CategoryName, string? Name, decimal Price, bool IsAvailable)
    {
        public static FoodFacts Of(MenuFoodCreated f) => new(f.RestaurantId, f.FoodId, f.CategoryId, f.CategoryName, f.Name, f.Price, f.IsAvailable);
        public static FoodFacts Of(MenuFoodUpdated f) => new(f.RestaurantId, f.FoodId, f.CategoryId, f.CategoryName, f.Name, f.Price, f.IsAvailable);
        public static FoodFacts Of(MenuFoodDeleted f) => new(f.RestaurantId, f.FoodId, f.CategoryId, f.CategoryName, f.Name, f.Price, f.IsAvailable);
    }

    // The four reservation events carry the day it is for; the status and its time come from which event it is.
    private readonly record struct ReservationFacts(
        Guid ReservationId, Guid RestaurantId, int PartySize, DateTimeOffset StartsAt, string Status, DateTimeOffset ChangedAt)
    {
        public static ReservationFacts Of(ReservationCreated r) => new(r.ReservationId, r.RestaurantId, r.PartySize, r.StartsAt, BookedStatus, r.CreatedAt);
        public static ReservationFacts Of(ReservationSeated r) => new(r.ReservationId, r.RestaurantId, r.PartySize, r.StartsAt, SeatedStatus, r.SeatedAt);
        public static ReservationFacts Of(ReservationCancelled r) => new(r.ReservationId, r.RestaurantId, r.PartySize, r.StartsAt, CancelledStatus, r.CancelledAt);
        public static ReservationFacts Of(ReservationNoShow r) => new(r.ReservationId, r.RestaurantId, r.PartySize, r.StartsAt, NoShowStatus, r.RecordedAt);
    }

    private readonly record struct CategoryFacts(Guid RestaurantId, Guid CategoryId, string? Name)
    {
        public static CategoryFacts Of(MenuCategoryCreated c) => new(c.RestaurantId, c.CategoryId, c.Name);
        public static CategoryFacts Of(MenuCategoryUpdated c) => new(c.RestaurantId, c.CategoryId, c.Name);
        public static CategoryFacts Of(MenuCategoryDeleted c) => new(c.RestaurantId, c.CategoryId, c.Name);
    }
}
