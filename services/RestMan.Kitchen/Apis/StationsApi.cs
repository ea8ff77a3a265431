using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Model;

namespace RestMan.Kitchen.Apis;

/// <summary>
/// A restaurant's kitchen stations and what is routed to each. The owner defines them; the kitchen staff read them
/// (the display's station picker). Another restaurant's station does not exist for the caller (404).
/// </summary>
public static class StationsApi
{
    public static RouteGroupBuilder MapStationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/kitchen/stations").AddEndpointFilter<RestaurantsUnavailableFilter>();

        api.MapGet("", ListAsync).RequireAuthorization(p => p.RequireRole(Roles.KitchenStaff, Roles.Owner));
        api.MapPost("", CreateAsync).RequireAuthorization(Roles.Owner);
        api.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Roles.Owner);
        api.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Roles.Owner);

        return api;
    }

    /// <summary><c>?restaurant_id=</c>: staff get their restaurant's stations, an owner those of all their restaurants or of the one named.</summary>
    public static async Task<Results<Ok<IReadOnlyList<StationResponse>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (user.IsInRole(Roles.KitchenStaff) && user.RestaurantId() is null) return Problems.Forbidden("This kitchen account is not bound to a restaurant.");
        if (await services.Scope.ResolveAsync(user, restaurant, ct) is not { } scope) return Problems.NotFound("The restaurant");
        var stations = await services.Stations.ListAsync(scope, ct);
        return TypedResults.Ok<IReadOnlyList<StationResponse>>(stations.Select(StationResponse.From).ToList());
    }

    public static async Task<Results<Created<StationResponse>, ProblemHttpResult>> CreateAsync(
        CreateStationRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var station = Validate(rules, Guid.NewGuid(), restaurant ?? Guid.Empty, request.Name, request.IsDefault, request.CategoryIds, request.FoodIds, request.DelayThresholdSeconds);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, station.RestaurantId, ct)) return Problems.NotFound("The restaurant");

        if (!await services.Database.InTransactionAsync(tx => services.Stations.SaveAsync(tx, station, ct), ct)) return NameTaken(station.Name);
        return TypedResults.Created($"/kitchen/stations/{station.Id}", StationResponse.From((await services.Stations.FindAsync(station.Id, ct))!));
    }

    public static async Task<Results<Ok<StationResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateStationRequest request, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var existing = await services.Stations.FindAsync(id, ct);
        var station = Validate(rules, id, existing?.RestaurantId ?? Guid.Empty, request.Name, request.IsDefault, request.CategoryIds, request.FoodIds, request.DelayThresholdSeconds);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (existing is null || !await services.Scope.CanSeeAsync(user, existing.RestaurantId, ct)) return Problems.NotFound("The station");

        if (!await services.Database.InTransactionAsync(tx => services.Stations.SaveAsync(tx, station, ct), ct)) return NameTaken(station.Name);
        return TypedResults.Ok(StationResponse.From((await services.Stations.FindAsync(id, ct))!));
    }

    /// <summary>Its tickets keep their station's name; its routes fall back to the default station.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] KitchenServices services, CancellationToken ct)
    {
        var existing = await services.Stations.FindAsync(id, ct);
        if (existing is null || !await services.Scope.CanSeeAsync(user, existing.RestaurantId, ct)) return Problems.NotFound("The station");
        await services.Database.InTransactionAsync(tx => services.Stations.DeleteAsync(tx, id, ct), ct);
        return TypedResults.NoContent();
    }

    private static Station Validate(InputRules rules, Guid id, Guid restaurantId, string? name, bool? isDefault,
        IReadOnlyList<string?>? categoryIds, IReadOnlyList<string?>? foodIds, int? delayThresholdSeconds)
    {
        var text = rules.OptionalText(name, "name", 60);
        if (text is null && !rules.Has("name")) rules.Add("name", "is required.");
        return new Station(id, restaurantId, text ?? "", isDefault ?? false,
            Ids(rules, categoryIds, "category_ids", "category", 200), Ids(rules, foodIds, "food_ids", "food", 500))
        {
            DelayThresholdSeconds = Thresholds.Optional(rules, delayThresholdSeconds),
        };
    }

    private static List<Guid> Ids(InputRules rules, IReadOnlyList<string?>? values, string field, string what, int max)
    {
        if (values is null) return [];
        if (values.Count > max) rules.Add(field, $"must list at most {max} ids.");
        var ids = values.Select(v => rules.RequiredId(v, field, $"a list of {what} ids")).ToList();
        return ids.OfType<Guid>().Distinct().ToList();
    }

    private static ProblemHttpResult NameTaken(string name) =>
        Problems.Conflict("station_exists", $"The restaurant already has a station named {name}.");
}
