using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.Model;

namespace RestMan.Kitchen.Apis;

/// <summary>
/// What the kitchen learns and how late is late: typical prep time per food (median of its own history), the
/// restaurant's delay threshold (stations may override it), and a delay sweep on demand.
/// </summary>
public static class KitchenInsightsApi
{
    /// <summary>How far back the typical prep time looks, and at most how many bumped lines it reads.</summary>
    private static readonly TimeSpan PrepHistory = TimeSpan.FromDays(30);
    private const int PrepSampleLimit = 5000;

    public static IEndpointRouteBuilder MapKitchenInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/kitchen").AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("/prep-times", PrepTimesAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));
        api.MapGet("/settings", SettingsAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));
        api.MapPut("/settings", SetSettingsAsync).RequireAuthorization(Roles.Owner);
        api.MapPost("/delays/sweep", SweepAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));

        return app;
    }

    /// <summary>
    /// <c>?restaurant_id=</c>: each food's typical prep time (the median over its bumped lines of the last 30 days;
    /// started → bumped, or opened → bumped for a line bumped without being started), most cooked first.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<PrepTimeResponse>>, ProblemHttpResult>> PrepTimesAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        if (await ScopeAsync(user, restaurantId, services, ct) is not { } scope) return ScopeProblem(user, restaurantId);
        var samples = await services.Tickets.PrepSamplesAsync(scope, services.Clock.GetUtcNow() - PrepHistory, PrepSampleLimit, ct);
        var times = samples
            .GroupBy(s => (s.RestaurantId, s.FoodId))
            .Select(g =>
            {
                var durations = g.Select(s => PrepTimes.Of(s.OpenedAt, s.StartedAt, s.BumpedAt)).OfType<TimeSpan>().ToList();
                var median = PrepTimes.Median(durations);
                return median is { } m
                    ? new PrepTimeResponse(g.Key.RestaurantId, g.Key.FoodId, g.First().FoodName, (int)Math.Round(m.TotalSeconds), PrepTimes.Minutes(m), durations.Count)
                    : null;
            })
            .OfType<PrepTimeResponse>()
            .OrderByDescending(p => p.Samples).ThenBy(p => p.FoodName, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok<IReadOnlyList<PrepTimeResponse>>(times);
    }

    /// <summary><c>?restaurant_id=</c>: each restaurant's delay threshold (seconds), and whether it is the kitchen's default.</summary>
    public static async Task<Results<Ok<IReadOnlyList<KitchenSettingsResponse>>, ProblemHttpResult>> SettingsAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] KitchenServices services,
        KitchenSettingsRepository settings, CancellationToken ct)
    {
        if (await ScopeAsync(user, restaurantId, services, ct) is not { } scope) return ScopeProblem(user, restaurantId);
        var thresholds = await settings.ThresholdsAsync(scope, ct);
        return TypedResults.Ok<IReadOnlyList<KitchenSettingsResponse>>(scope
            .Select(id => thresholds.TryGetValue(id, out var seconds)
                ? new KitchenSettingsResponse(id, seconds, false)
                : new KitchenSettingsResponse(id, DelayRules.DefaultThresholdSeconds, true))
            .ToList());
    }

    /// <summary>The owner sets a restaurant's delay threshold: a ticket not READY that long after it opened is late.</summary>
    public static async Task<Results<Ok<KitchenSettingsResponse>, ProblemHttpResult>> SetSettingsAsync(
        UpdateKitchenSettingsRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services,
        KitchenSettingsRepository settings, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var seconds = Thresholds.Required(rules, request.DelayThresholdSeconds);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurant!.Value, ct)) return Problems.NotFound("The restaurant");
        await services.Database.InTransactionAsync(tx => settings.SetThresholdAsync(tx, restaurant.Value, seconds!.Value, ct), ct);
        return TypedResults.Ok(new KitchenSettingsResponse(restaurant.Value, seconds!.Value, false));
    }

    /// <summary>
    /// <c>?restaurant_id=</c>: sweeps the caller's restaurants for late tickets now (the background sweep does so
    /// every few seconds) and lists the tickets this sweep found late; a ticket already flagged is never listed again.
    /// </summary>
    public static async Task<Results<Ok<DelaySweepResponse>, ProblemHttpResult>> SweepAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] KitchenServices services,
        DelaySweep sweep, CancellationToken ct)
    {
        if (await ScopeAsync(user, restaurantId, services, ct) is not { } scope) return ScopeProblem(user, restaurantId);
        if (scope.Count == 0) return TypedResults.Ok(new DelaySweepResponse([]));
        var delayed = await sweep.SweepAsync(scope, ct);
        return TypedResults.Ok(new DelaySweepResponse(delayed.Select(d => d.Id).ToList()));
    }

    private static async Task<IReadOnlyList<Guid>?> ScopeAsync(ClaimsPrincipal user, string? restaurantId, KitchenServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (!rules.IsValid) return null;
        if (user.IsInRole(Roles.KitchenStaff) && user.RestaurantId() is null) return null;
        return await services.Scope.ResolveAsync(user, restaurant, ct);
    }

    private static ProblemHttpResult ScopeProblem(ClaimsPrincipal user, string? restaurantId)
    {
        var rules = new InputRules();
        rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (user.IsInRole(Roles.KitchenStaff) && user.RestaurantId() is null) return Problems.Forbidden("This kitchen account is not bound to a restaurant.");
        return Problems.NotFound("The restaurant");
    }
}

/// <summary>Delay thresholds as the API takes them: whole seconds, 1 s to 24 h.</summary>
public static class Thresholds
{
    public static int? Required(InputRules rules, int? seconds)
    {
        if (seconds is null)
        {
            rules.Add("delay_threshold_seconds", "is required.");
            return null;
        }
        return Optional(rules, seconds);
    }

    public static int? Optional(InputRules rules, int? seconds)
    {
        if (seconds is null or (>= DelayRules.MinThresholdSeconds and <= DelayRules.MaxThresholdSeconds)) return seconds;
        rules.Add("delay_threshold_seconds", $"must be a whole number of seconds from {DelayRules.MinThresholdSeconds} to {DelayRules.MaxThresholdSeconds}.");
        return null;
    }
}
