using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Menu;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>Restaurants themselves, and their public menu. Reads are public; changes are their owner's.</summary>
public static class RestaurantsApi
{
    public const int DefaultPageSize = 50;

    public static RouteGroupBuilder MapRestaurantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/restaurants");

        api.MapGet("", ListRestaurantsAsync);
        api.MapGet("/{id:guid}", GetRestaurantAsync);
        api.MapGet("/{id:guid}/menu", GetMenuAsync);
        api.MapPost("", CreateRestaurantAsync).RequireAuthorization(Roles.Owner);
        api.MapPut("/{id:guid}", UpdateRestaurantAsync).RequireAuthorization(Roles.Owner);

        return api;
    }

    /// <summary>
    /// Active restaurants by name; with <c>?mine=true</c>, every restaurant of the signed-in owner. Paged by
    /// <c>page/page_size</c> like every list, or by the first implementation's <c>limit/offset</c>; 50 a page.
    /// </summary>
    public static async Task<Results<Ok<List<RestaurantResponse>>, ProblemHttpResult>> ListRestaurantsAsync(
        ClaimsPrincipal user, string? mine, string? page, [FromQuery(Name = "page_size")] string? pageSize, string? limit, string? offset,
        RestaurantRepository restaurants, CancellationToken ct)
    {
        var rules = new InputRules();
        var onlyMine = false;
        if (mine is not null && !bool.TryParse(mine, out onlyMine)) rules.Add("mine", "must be true or false.");
        var (take, skip) = Paging.ParseWindow(page, pageSize, limit, offset, rules, DefaultPageSize);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        if (!onlyMine)
            return TypedResults.Ok((await restaurants.ListActiveAsync(take, skip, ct)).Select(r => r.ToResponse()).ToList());
        if (user.Identity?.IsAuthenticated != true) return Problems.Unauthorized("Sign in as a restaurant owner to list your restaurants.");
        if (!user.IsInRole(Roles.Owner)) return Problems.Forbidden("Only restaurant owners have restaurants of their own.");
        return TypedResults.Ok((await restaurants.ListByOwnerAsync(user.UserId(), take, skip, ct)).Select(r => r.ToResponse()).ToList());
    }

    public static async Task<Results<Ok<RestaurantResponse>, ProblemHttpResult>> GetRestaurantAsync(
        Guid id, ClaimsPrincipal user, RestaurantRepository restaurants, CancellationToken ct)
    {
        var restaurant = await restaurants.FindAsync(id, ct);
        return restaurant is not null && user.CanSee(restaurant.OwnerUserId, restaurant.IsActive)
            ? TypedResults.Ok(restaurant.ToResponse())
            : Problems.NotFound("The restaurant");
    }

    /// <summary>The menu from Redis when cached (<c>X-Cache: HIT</c>), else from the database (<c>MISS</c>).</summary>
    private const string PublicMenuCacheControl = "public, max-age=5";

    /// <summary><c>?without=nuts,milk</c> leaves out foods with those allergens, <c>?diet=vegan</c> keeps the foods suiting every diet named.</summary>
    public static async Task<Results<Ok<MenuResponse>, ProblemHttpResult>> GetMenuAsync(
        Guid id, ClaimsPrincipal user, HttpContext context, MenuCache menuCache, CancellationToken ct, string? without = null, string? diet = null)
    {
        var rules = new InputRules();
        var excluded = rules.Tags(Split(without), Dietary.Allergens, "without") ?? [];
        var diets = rules.Tags(Split(diet), Dietary.Diets, "diet") ?? [];
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var cached = await menuCache.GetAsync(id, ct);
        if (cached is null || !user.CanSee(cached.Value.OwnerUserId, cached.Value.IsActive)) return Problems.NotFound("The restaurant");
        context.Response.Headers["X-Cache"] = cached.Hit ? "HIT" : "MISS";
        // An active restaurant's menu is the same for every reader, so shared caches (the gateway's) may keep it;
        // an inactive one is its owner's alone.
        context.Response.Headers.CacheControl = cached.Value.IsActive ? PublicMenuCacheControl : "private, no-store";
        return TypedResults.Ok(MenuFilter.Apply(cached.Value.Menu, excluded, diets));
    }

    private static string?[]? Split(string? list) =>
        list?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static async Task<Results<Created<RestaurantResponse>, ProblemHttpResult>> CreateRestaurantAsync(
        CreateRestaurantRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var name = rules.Name(request.Name);
        var address = rules.OptionalText(request.Address, "address", MenuInput.MaxAddressLength);
        var phone = rules.Phone(request.Phone);
        var opensAt = rules.TimeOfDay(request.OpensAt, "opens_at") ?? new TimeOnly(11, 0);
        var closesAt = rules.TimeOfDay(request.ClosesAt, "closes_at") ?? new TimeOnly(23, 0);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var restaurant = await services.Restaurants.InsertAsync(user.UserId(), name!, address, phone, opensAt, closesAt, services.Clock.GetUtcNow(), ct);
        return TypedResults.Created($"/restaurants/{restaurant.Id}", restaurant.ToResponse());
    }

    /// <summary>Changes the fields present in the body; <c>is_active: false</c> takes the restaurant and its menu off the public list.</summary>
    public static async Task<Results<Ok<RestaurantResponse>, ProblemHttpResult>> UpdateRestaurantAsync(
        Guid id, UpdateRestaurantRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(id, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name, required: false);
        var address = rules.OptionalText(request.Address.Value, "address", MenuInput.MaxAddressLength);
        var phone = rules.Phone(request.Phone.Value);
        var opensAt = rules.TimeOfDay(request.OpensAt, "opens_at");
        var closesAt = rules.TimeOfDay(request.ClosesAt, "closes_at");
        if (name is null && !request.Address.IsSpecified && !request.Phone.IsSpecified && request.IsActive is null
            && request.OpensAt is null && request.ClosesAt is null)
            rules.Add("body", "names no field to change (name, address, phone, is_active, opens_at, closes_at).");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var now = services.Clock.GetUtcNow();
        var updated = await services.Database.InTransactionAsync(async tx =>
        {
            var current = (await services.Restaurants.FindAsync(tx, id, ct))!;
            return await services.Restaurants.UpdateAsync(tx, current with
            {
                Name = name ?? current.Name,
                Address = request.Address.IsSpecified ? address : current.Address,
                Phone = request.Phone.IsSpecified ? phone : current.Phone,
                IsActive = request.IsActive ?? current.IsActive,
                OpensAt = opensAt ?? current.OpensAt,
                ClosesAt = closesAt ?? current.ClosesAt,
                UpdatedAt = now,
            }, ct);
        }, ct);
        // The cached menu carries the restaurant's name and whether it is public.
        await services.MenuCache.InvalidateAsync(id);
        return TypedResults.Ok(updated.ToResponse());
    }
}
