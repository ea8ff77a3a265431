using Microsoft.AspNetCore.Mvc;
using RestMan.Analytics.Reports;

namespace RestMan.Analytics.Apis;

// Query strings as they arrive (strings, so a bad value is a 400 naming it rather than a binding failure), and the
// typed requests they become. Dates are UTC; "today" is the server's, from TimeProvider.

public sealed record TopFoodsRequest(ReportPeriod Period, DateOnly From, DateOnly To, Guid? RestaurantId, int Limit);

public sealed record TopFoodsParameters(
    [FromQuery(Name = "period")] string? Period,
    [FromQuery(Name = "date")] string? Date,
    [FromQuery(Name = "restaurant_id")] string? RestaurantId,
    [FromQuery(Name = "limit")] string? Limit)
{
    public const int DefaultLimit = 10;

    /// <summary>The whole day, month or year that contains <c>date</c> (default: today).</summary>
    public (TopFoodsRequest? Request, IReadOnlyDictionary<string, string> Errors) Parse(DateOnly today)
    {
        var rules = new InputRules();
        var period = rules.Period(Period, ReportPeriod.Day);
        var date = rules.ReportDate(Date, "date", today);
        var restaurantId = rules.RestaurantId(RestaurantId);
        var limit = rules.Limit(Limit, DefaultLimit);
        return rules.IsValid
            ? (new TopFoodsRequest(period, period.StartOf(date), period.EndOf(date), restaurantId, limit), rules.Errors)
            : (null, rules.Errors);
    }
}

public sealed record RevenueRequest(ReportPeriod Period, string GroupBy, DateOnly From, DateOnly To, string? OrderType, Guid? RestaurantId);

public sealed record RevenueParameters(
    [FromQuery(Name = "period")] string? Period,
    [FromQuery(Name = "group_by")] string? GroupBy,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "order_type")] string? OrderType,
    [FromQuery(Name = "restaurant_id")] string? RestaurantId)
{
    public const string ByOrderType = "order_type";
    public const string ByRestaurant = "restaurant";
    public static readonly IReadOnlyList<string> Groupings = [ByOrderType, ByRestaurant];
    public static readonly IReadOnlyList<string> OrderTypes = ["dine_in", "takeaway", "delivery"];

    /// <summary>Defaults: by month, by order type, to today, from the start of the 30th day, 12th month or 5th year back.</summary>
    public (RevenueRequest? Request, IReadOnlyDictionary<string, string> Errors) Parse(DateOnly today)
    {
        var rules = new InputRules();
        var period = rules.Period(Period, ReportPeriod.Month);
        var groupBy = rules.OneOf(GroupBy, "group_by", Groupings) ?? ByOrderType;
        var to = rules.ReportDate(To, "to", today);
        var from = rules.ReportDate(From, "from", ReportInput.Storable(DefaultFrom(period, to)));
        var orderType = rules.OneOf(OrderType, "order_type", OrderTypes);
        var restaurantId = rules.RestaurantId(RestaurantId);
        if (rules.IsValid)
        {
            rules.Window(from, to);
        }

        return rules.IsValid
            ? (new RevenueRequest(period, groupBy, from, to, orderType, restaurantId), rules.Errors)
            : (null, rules.Errors);
    }

    private static DateOnly DefaultFrom(ReportPeriod period, DateOnly to) => period switch
    {
        ReportPeriod.Day => to.AddDays(-29),
        ReportPeriod.Month => period.StartOf(to).AddMonths(-11),
        _ => period.StartOf(to).AddYears(-4),
    };
}

public sealed record OrdersByStatusRequest(DateOnly From, DateOnly To, Guid? RestaurantId);

public sealed record OrdersByStatusParameters(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "restaurant_id")] string? RestaurantId)
{
    public const int DefaultDays = 7;

    /// <summary>Default window: the last 7 days and today (<c>event_date &gt;= today() - INTERVAL 7 DAY</c>).</summary>
    public (OrdersByStatusRequest? Request, IReadOnlyDictionary<string, string> Errors) Parse(DateOnly today)
    {
        var rules = new InputRules();
        var to = rules.ReportDate(To, "to", today);
        var from = rules.ReportDate(From, "from", ReportInput.Storable(to.AddDays(-DefaultDays)));
        var restaurantId = rules.RestaurantId(RestaurantId);
        if (rules.IsValid)
        {
            rules.Window(from, to);
        }

        return rules.IsValid ? (new OrdersByStatusRequest(from, to, restaurantId), rules.Errors) : (null, rules.Errors);
    }
}
