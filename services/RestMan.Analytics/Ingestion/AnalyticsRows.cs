namespace RestMan.Analytics.Ingestion;

// One record per table of AnalyticsSchema; property names become its snake_case columns.

public sealed record OrderRow(
    DateOnly EventDate,
    DateTime EventTimestamp,
    Guid OrderId,
    Guid UserId,
    Guid RestaurantId,
    string OrderType,
    decimal TotalPrice,
    DateTime PlacedAt);

public sealed record OrderItemRow(
    DateOnly EventDate,
    DateTime EventTimestamp,
    Guid OrderId,
    ushort LineNumber,
    Guid RestaurantId,
    Guid FoodId,
    string FoodName,
    uint Quantity,
    decimal UnitPrice,
    decimal LineTotal,
    string OrderType,
    DateTime PlacedAt);

public sealed record OrderStatusRow(Guid OrderId, string Status, DateTime StatusAt, ulong Version);

public sealed record OrderPaymentRow(
    Guid OrderId,
    Guid BillId,
    Guid RestaurantId,
    string PaymentStatus,
    string PaymentMethod,
    decimal PaidAmount,
    DateTime PaidAt,
    ulong Version);

public sealed record MenuFoodRow(
    Guid RestaurantId,
    Guid FoodId,
    Guid CategoryId,
    string CategoryName,
    string Name,
    decimal Price,
    bool IsAvailable,
    bool IsDeleted,
    ulong Version);

public sealed record MenuCategoryRow(Guid RestaurantId, Guid CategoryId, string Name, bool IsDeleted, ulong Version);

public sealed record TableVisitRow(DateOnly EventDate, Guid RestaurantId, Guid OrderId, Guid TableId, ushort Covers, DateTime SeatedAt, Guid ReservationId);

public sealed record RefundRow(
    DateOnly EventDate, Guid RestaurantId, Guid OrderId, Guid RefundId, Guid PaymentId, string Method, decimal Amount, DateTime RefundedAt);

public sealed record PaymentRow(
    DateOnly EventDate, Guid RestaurantId, Guid OrderId, Guid PaymentId, string Method, decimal Amount, decimal Tip, DateTime CompletedAt);

public sealed record ReservationRow(DateOnly EventDate, Guid RestaurantId, Guid ReservationId, string Status, ushort PartySize, ulong Version);

public sealed record OrderItemOptionRow(
    DateOnly EventDate, Guid RestaurantId, Guid OrderId, ushort LineNumber, Guid OptionId, string GroupName, string OptionName, uint Quantity,
    decimal DeltaTotal);

public sealed record KitchenDelayRow(
    DateOnly EventDate, Guid RestaurantId, Guid TicketId, Guid OrderId, Guid StationId, string StationName, uint ThresholdSeconds,
    DateTime OpenedAt, DateTime DelayedAt);
