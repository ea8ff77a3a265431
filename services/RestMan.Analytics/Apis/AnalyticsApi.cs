using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using RestMan.Analytics.Reports;
using RestMan.Identity.Ownership;

namespace RestMan.Analytics.Apis;

/// <summary>Owners' reports over the restaurants they own, read from ClickHouse.</summary>
public static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/analytics")
            .RequireAuthorization(Roles.Owner)
            .AddEndpointFilter<ClickHouseUnavailableFilter>()
            .AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("/top-foods", GetTopFoodsAsync).Produces<List<TopFoodRow>>();
        api.MapGet("/revenue", GetRevenueAsync);
        api.MapGet("/orders-by-status", GetOrdersByStatusAsync).Produces<List<OrdersByStatusRow>>();
        api.MapGet("/floor", GetFloorAsync).Produces<List<FloorDayRow>>();
        api.MapGet("/restaurants/{restaurantId:guid}/top-foods", GetRestaurantTopFoodsAsync)
            .AsFirstImplementationAlias("GET /analytics/top-foods?restaurant_id=").Produces<List<TopFoodRow>>();

        return api;
    }

    /// <summary><c>?period=day|month|year&amp;date=YYYY-MM-DD&amp;restaurant_id=&amp;limit=1..100</c>: foods by quantity ordered.</summary>
    public static async Task<IResult> GetTopFoodsAsync(
        [AsParameters] TopFoodsParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        return await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.TopFoods.QueryAsync(scope, request.Period, request.Limit, ct), ct);
    }

    /// <summary>The first implementation's top foods of one restaurant: <c>/analytics/top-foods?restaurant_id=</c> by another name.</summary>
    public static Task<IResult> GetRestaurantTopFoodsAsync(
        Guid restaurantId, [FromQuery] string? period, [FromQuery] string? date, [FromQuery] string? limit, ClaimsPrincipal user,
        [AsParameters] AnalyticsServices services, CancellationToken ct) =>
        GetTopFoodsAsync(new TopFoodsParameters(period, date, restaurantId.ToString(), limit), user, services, ct);

    /// <summary><c>?period=day|month|year&amp;group_by=order_type|restaurant&amp;from=&amp;to=&amp;order_type=&amp;restaurant_id=</c>.</summary>
    public static async Task<IResult> GetRevenueAsync(
        [AsParameters] RevenueParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        return request.GroupBy == RevenueParameters.ByRestaurant
            ? await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
                scope => services.Revenue.ByRestaurantAsync(scope, request.Period, request.OrderType, ct), ct)
            : await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
                scope => services.Revenue.ByOrderTypeAsync(scope, request.Period, request.OrderType, ct), ct);
    }

    /// <summary><c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): orders per latest status.</summary>
    public static async Task<IResult> GetOrdersByStatusAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        return await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.OrdersByStatus.QueryAsync(scope, ct), ct);
    }

    /// <summary>
    /// <c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): per day, the tables seated, their covers, and the
    /// average time at table from seated to paid (over the tables paid).
    /// </summary>
    public static async Task<IResult> GetFloorAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        return await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.Floor.QueryAsync(scope, ct), ct);
    }

    /// <summary>Runs the report over the caller's restaurants: 404 for one they may not see, no rows when they own none.</summary>
    private static async Task<IResult> ReportAsync<TRow>(
        ClaimsPrincipal user, Guid? restaurantId, DateOnly from, DateOnly to, AnalyticsServices services,
        Func<ReportScope, Task<IReadOnlyList<TRow>>> report, CancellationToken ct)
    {
        var restaurants = await services.Restaurants.ResolveAsync(user, restaurantId, ct);
        if (restaurants is null)
        {
            return Problems.NotFound("The restaurant");
        }

        if (restaurants.Count == 0)
        {
            return TypedResults.Ok(Array.Empty<TRow>());
        }

        return TypedResults.Ok(await report(new ReportScope(restaurants, from, to)));
    }
}
