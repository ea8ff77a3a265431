using RestMan.Identity.Ownership;
using RestMan.Analytics.Reports;

namespace RestMan.Analytics.Apis;

/// <summary>What the analytics endpoints need, bound with [AsParameters].</summary>
public sealed class AnalyticsServices(
    RestaurantScope restaurants,
    TopFoodsReport topFoods,
    RevenueReport revenue,
    OrdersByStatusReport ordersByStatus,
    FloorReport floor,
    PaymentsReport payments,
    KitchenDelaysReport kitchenDelays,
    TopModifiersReport topModifiers,
    TimeProvider clock)
{
    public RestaurantScope Restaurants { get; } = restaurants;
    public TopFoodsReport TopFoods { get; } = topFoods;
    public RevenueReport Revenue { get; } = revenue;
    public OrdersByStatusReport OrdersByStatus { get; } = ordersByStatus;
    public FloorReport Floor { get; } = floor;
    public PaymentsReport Payments { get; } = payments;
    public KitchenDelaysReport KitchenDelays { get; } = kitchenDelays;
    public TopModifiersReport TopModifiers { get; } = topModifiers;
    public TimeProvider Clock { get; } = clock;

    /// <summary>Today's UTC date, the default end of every report window.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
}
