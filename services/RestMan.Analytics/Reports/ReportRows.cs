namespace RestMan.Analytics.Reports;

// The rows the endpoints answer with (snake_case on the wire): the period start, the grouping key, the figures.
// Money is the order's own figures (total_price, line totals, before tax); paid amounts are the bills' totals.

public sealed record TopFoodRow(
    DateOnly PeriodStart,
    Guid RestaurantId,
    Guid FoodId,
    string FoodName,
    string? CategoryName,
    long TotalQuantity,
    decimal TotalRevenue,
    long TotalOrders);

public sealed record RevenueByOrderTypeRow(
    DateOnly PeriodStart,
    string OrderType,
    long TotalOrders,
    decimal TotalRevenue,
    long PaidOrders,
    decimal PaidRevenue);

public sealed record RevenueByRestaurantRow(
    DateOnly PeriodStart,
    Guid RestaurantId,
    long TotalOrders,
    decimal TotalRevenue,
    long PaidOrders,
    decimal PaidRevenue);

public sealed record OrdersByStatusRow(
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Status,
    long TotalOrders,
    decimal TotalValue,
    decimal AvgOrderValue,
    long PaidOrders);

/// <summary>
/// One day of dine-in service: tables seated (walk-ins and from a reservation), their guests, the average minutes from
/// seated to paid, and the reservations for that day by their outcome with the no-show rate (no-shows over seated + no-shows).
/// </summary>
/// <summary>
/// One day's payments by one method: how many, what they paid towards bills, the tips on top, what refunds gave back
/// through that method that day, and the net (amount less refunds).
/// </summary>
public sealed record PaymentMixRow(DateOnly Date, string Method, long Payments, decimal Amount, decimal Tips, decimal Refunds = 0m, decimal NetAmount = 0m);

public sealed record FloorDayRow(
    DateOnly Date,
    long TablesSeated,
    long Covers,
    long TablesPaid,
    double? AverageTableMinutes,
    long WalkIns,
    long FromReservations,
    long Reservations,
    long ReservationsSeated,
    long ReservationsCancelled,
    long NoShows,
    double? NoShowRate);

/// <summary>Late tickets of one station (null: the whole kitchen) on one day.</summary>
public sealed record KitchenDelayDayRow(DateOnly Date, Guid RestaurantId, Guid StationId, string? StationName, long Delays);

/// <summary>A modifier option: how many portions were ordered with it, in how many orders, and what it added in all.</summary>
public sealed record TopModifierRow(Guid OptionId, string GroupName, string OptionName, long TimesChosen, decimal Revenue, long Orders);
