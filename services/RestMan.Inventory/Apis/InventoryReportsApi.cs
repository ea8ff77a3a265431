using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Identity.Ownership;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Apis;

/// <summary>What the kitchen used and wasted, per day: cost of goods per food, waste per item (days of stock left are on each item).</summary>
public static class InventoryReportsApi
{
    public static RouteGroupBuilder MapInventoryReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/inventory/reports").AddEndpointFilter<RestaurantsUnavailableFilter>();
        api.MapGet("/usage", UsageAsync).RequireAuthorization(Roles.Owner);
        return api;
    }

    /// <summary><c>?restaurant_id=&amp;from=&amp;to=</c> (UTC days, both included; default the last 7 days, at most 92).</summary>
    public static async Task<Results<Ok<UsageReportResponse>, ProblemHttpResult>> UsageAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [FromQuery] string? from, [FromQuery] string? to,
        [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(restaurantId, "restaurant_id", "a restaurant id");
        var today = DateOnly.FromDateTime(services.Clock.GetUtcNow().UtcDateTime);
        var last = rules.Date(to, "to", today, today.AddYears(-5), today.AddDays(1));
        var first = rules.Date(from, "from", last.AddDays(-6), today.AddYears(-5), today.AddDays(1));
        rules.Window(first, last);
        if (last.DayNumber - first.DayNumber > 92) rules.Add("from", "must be at most 92 days before to.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurant!.Value, ct)) return Problems.NotFound("The restaurant");
        return TypedResults.Ok(await services.Reports.UsageAsync(restaurant.Value, first, last, ct));
    }
}
