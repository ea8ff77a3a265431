using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
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

        api.MapGet("/top-foods", GetTopFoodsAsync);
        api.MapGet("/revenue", GetRevenueAsync).AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            // One status, two shapes (by group_by): a typed result documents one type per status, so the 200 names both.
            if (operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content?.TryGetValue("application/json", out var json) != true) return;
            json!.Schema = new OpenApiSchema
            {
                OneOf =
                [
                    await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<RevenueByOrderTypeRow>), null, ct),
                    await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<RevenueByRestaurantRow>), null, ct),
                ],
            };
        });
        api.MapGet("/orders-by-status", GetOrdersByStatusAsync);
        api.MapGet("/floor", GetFloorAsync);
        api.MapGet("/payments", GetPaymentsAsync);
        api.MapGet("/kitchen-delays", GetKitchenDelaysAsync);
        api.MapGet("/top-modifiers", GetTopModifiersAsync);
        api.MapGet("/restaurants/{restaurantId:guid}/top-foods", GetRestaurantTopFoodsAsync)
            .AsFirstImplementationAlias("GET /analytics/top-foods?restaurant_id=");

        return api;
    }

    /// <summary><c>?period=day|month|year&amp;date=YYYY-MM-DD&amp;restaurant_id=&amp;limit=1..100</c>: foods by quantity ordered.</summary>
    public static async Task<Results<Ok<IReadOnlyList<TopFoodRow>>, ProblemHttpResult>> GetTopFoodsAsync(
        [AsParameters] TopFoodsParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        var rows = await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.TopFoods.QueryAsync(scope, request.Period, request.Limit, ct), ct);
        return rows is null ? RestaurantNotFound() : TypedResults.Ok(rows);
    }

    /// <summary>The first implementation's top foods of one restaurant: <c>/analytics/top-foods?restaurant_id=</c> by another name.</summary>
    public static Task<Results<Ok<IReadOnlyList<TopFoodRow>>, ProblemHttpResult>> GetRestaurantTopFoodsAsync(
        Guid restaurantId, [FromQuery] string? period, [FromQuery] string? date, [FromQuery] string? limit, ClaimsPrincipal user,
        [AsParameters] AnalyticsServices services, CancellationToken ct) =>
        GetTopFoodsAsync(new TopFoodsParameters(period, date, restaurantId.ToString(), limit), user, services, ct);

    /// <summary><c>?period=day|month|year&amp;group_by=order_type|restaurant&amp;from=&amp;to=&amp;order_type=&amp;restaurant_id=</c>.</summary>
    /// <remarks>Rows per order type by default, per restaurant with <c>group_by=restaurant</c>: both shapes are documented.</remarks>
    public static async Task<Results<Ok<IReadOnlyList<RevenueByOrderTypeRow>>, Ok<IReadOnlyList<RevenueByRestaurantRow>>, ProblemHttpResult>> GetRevenueAsync(
        [AsParameters] RevenueParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        if (request.GroupBy == RevenueParameters.ByRestaurant)
        {
            var byRestaurant = await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
                scope => services.Revenue.ByRestaurantAsync(scope, request.Period, request.OrderType, ct), ct);
            return byRestaurant is null ? RestaurantNotFound() : TypedResults.Ok(byRestaurant);
        }

        var byOrderType = await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.Revenue.ByOrderTypeAsync(scope, request.Period, request.OrderType, ct), ct);
        return byOrderType is null ? RestaurantNotFound() : TypedResults.Ok(byOrderType);
    }

    /// <summary><c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): orders per latest status.</summary>
    public static async Task<Results<Ok<IReadOnlyList<OrdersByStatusRow>>, ProblemHttpResult>> GetOrdersByStatusAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
        => await DayRangeReportAsync(parameters, user, services, scope => services.OrdersByStatus.QueryAsync(scope, ct), ct);

    /// <summary>
    /// <c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): per day, the tables seated (walk-ins and from a
    /// reservation), their covers, the average time at table from seated to paid (over the tables paid), and the
    /// reservations for that day: booked, seated, cancelled, no-shows and the no-show rate.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<FloorDayRow>>, ProblemHttpResult>> GetFloorAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
        => await DayRangeReportAsync(parameters, user, services, scope => services.Floor.QueryAsync(scope, ct), ct);

    /// <summary>A report over <c>?from=&amp;to=&amp;restaurant_id=</c>: 400 naming a bad field, 404 for a restaurant the caller may not see.</summary>
    private static async Task<Results<Ok<IReadOnlyList<TRow>>, ProblemHttpResult>> DayRangeReportAsync<TRow>(
        OrdersByStatusParameters parameters, ClaimsPrincipal user, AnalyticsServices services,
        Func<ReportScope, Task<IReadOnlyList<TRow>>> report, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null) return Problems.Validation(errors);

        var rows = await ReportAsync(user, request.RestaurantId, request.From, request.To, services, report, ct);
        return rows is null ? RestaurantNotFound() : TypedResults.Ok(rows);
    }

    /// <summary>
    /// <c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): per day and payment method (cash, card, qr,
    /// e_wallet), the payments captured, what they paid towards bills and the tips on top.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<PaymentMixRow>>, ProblemHttpResult>> GetPaymentsAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
        => await DayRangeReportAsync(parameters, user, services, scope => services.Payments.QueryAsync(scope, ct), ct);

    /// <summary>
    /// <c>?from=&amp;to=&amp;restaurant_id=</c> (default: the last 7 days): per day, restaurant and station, how many kitchen
    /// tickets were late (each raised <c>kitchen.ticket_delayed</c> once); <c>station_name</c> null for the whole kitchen.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<KitchenDelayDayRow>>, ProblemHttpResult>> GetKitchenDelaysAsync(
        [AsParameters] OrdersByStatusParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
        => await DayRangeReportAsync(parameters, user, services, scope => services.KitchenDelays.QueryAsync(scope, ct), ct);

    /// <summary>
    /// <c>?period=day|month|year&amp;date=YYYY-MM-DD&amp;restaurant_id=&amp;limit=1..100</c>: the modifier options chosen most
    /// (portions ordered with each), in how many orders, and what they added to the bills.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<TopModifierRow>>, ProblemHttpResult>> GetTopModifiersAsync(
        [AsParameters] TopFoodsParameters parameters, ClaimsPrincipal user, [AsParameters] AnalyticsServices services, CancellationToken ct)
    {
        var (request, errors) = parameters.Parse(services.Today());
        if (request is null) return Problems.Validation(errors);
        var rows = await ReportAsync(user, request.RestaurantId, request.From, request.To, services,
            scope => services.TopModifiers.QueryAsync(scope, request.Limit, ct), ct);
        return rows is null ? RestaurantNotFound() : TypedResults.Ok(rows);
    }

    /// <summary>Runs the report over the caller's restaurants: null for one they may not see (a 404), no rows when they own none.</summary>
    private static async Task<IReadOnlyList<TRow>?> ReportAsync<TRow>(
        ClaimsPrincipal user, Guid? restaurantId, DateOnly from, DateOnly to, AnalyticsServices services,
        Func<ReportScope, Task<IReadOnlyList<TRow>>> report, CancellationToken ct)
    {
        var restaurants = await services.Restaurants.ResolveAsync(user, restaurantId, ct);
        if (restaurants is null)
        {
            return null;
        }

        return restaurants.Count == 0 ? [] : await report(new ReportScope(restaurants, from, to));
    }

    private static ProblemHttpResult RestaurantNotFound() => Problems.NotFound("The restaurant");
}
