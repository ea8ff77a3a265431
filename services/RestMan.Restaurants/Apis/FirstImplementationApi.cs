using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// The first (Rust) implementation's spellings, kept so its clients work unchanged. Each one binds the other shape and
/// calls our handler: same validation, ownership and roles.
/// </summary>
public static class FirstImplementationApi
{
    public static IEndpointRouteBuilder MapFirstImplementationAliases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/restaurants/my", MyRestaurantsAsync).RequireAuthorization(Roles.Owner)
            .AsFirstImplementationAlias("GET /restaurants?mine=true");
        app.MapPost("/categories", CreateCategoryAsync).RequireAuthorization(Roles.Owner)
            .AsFirstImplementationAlias("POST /restaurants/{id}/categories");
        app.MapPost("/foods", CreateFoodAsync).RequireAuthorization(Roles.Owner)
            .AsFirstImplementationAlias("POST /restaurants/{id}/foods");
        return app;
    }

    public static Task<Results<Ok<List<RestaurantResponse>>, ProblemHttpResult>> MyRestaurantsAsync(
        ClaimsPrincipal user, string? limit, string? offset, RestaurantRepository restaurants, CancellationToken ct) =>
        RestaurantsApi.ListRestaurantsAsync(user, "true", null, null, limit, offset, restaurants, ct);

    public static Task<Results<Created<CategoryResponse>, ProblemHttpResult>> CreateCategoryAsync(
        CreateCategoryInRestaurantRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        if (request.RestaurantId is not { } restaurantId)
        {
            var rules = MissingRestaurant();
            rules.Name(request.Name);
            return Task.FromResult<Results<Created<CategoryResponse>, ProblemHttpResult>>(Problems.Validation(rules.Errors));
        }
        return MenuApi.CreateCategoryAsync(restaurantId, new CreateCategoryRequest(request.Name, request.Description, request.DisplayOrder), user, services, ct);
    }

    public static Task<Results<Created<FoodResponse>, ProblemHttpResult>> CreateFoodAsync(
        CreateFoodInRestaurantRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        if (request.RestaurantId is not { } restaurantId)
        {
            var rules = MissingRestaurant();
            rules.Name(request.Name);
            rules.Price(request.Price);
            return Task.FromResult<Results<Created<FoodResponse>, ProblemHttpResult>>(Problems.Validation(rules.Errors));
        }
        return MenuApi.CreateFoodAsync(restaurantId,
            new CreateFoodRequest(request.Name, request.Description, request.Price, request.CategoryId, request.IsAvailable), user, services, ct);
    }

    private static InputRules MissingRestaurant()
    {
        var rules = new InputRules();
        rules.Add("restaurant_id", "is required.");
        return rules;
    }
}
