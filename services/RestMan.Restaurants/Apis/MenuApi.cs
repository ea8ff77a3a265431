using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// An owner's menu: categories and foods, and every food as the owner's editors see it. Each change commits with
/// exactly one menu event in the outbox, then drops the cached menu before answering, so the next read of the menu shows it.
/// </summary>
public static class MenuApi
{
    public static RouteGroupBuilder MapMenuApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/restaurants/{restaurantId:guid}").RequireAuthorization(Roles.Owner);

        api.MapPost("/categories", CreateCategoryAsync);
        api.MapPut("/categories/{categoryId:guid}", UpdateCategoryAsync);
        api.MapDelete("/categories/{categoryId:guid}", DeleteCategoryAsync);

        api.MapGet("/foods", ListFoodsAsync);
        api.MapPost("/foods", CreateFoodAsync);
        api.MapPut("/foods/{foodId:guid}", UpdateFoodAsync);
        api.MapDelete("/foods/{foodId:guid}", DeleteFoodAsync);

        return api;
    }

    /// <summary>Without <c>display_order</c> the category goes after the restaurant's last one.</summary>
    public static async Task<Results<Created<CategoryResponse>, ProblemHttpResult>> CreateCategoryAsync(
        Guid restaurantId, CreateCategoryRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name);
        var description = rules.OptionalText(request.Description, "description", MenuInput.MaxDescriptionLength);
        var displayOrder = rules.DisplayOrder(request.DisplayOrder);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var change = await services.Database.InTransactionAsync<MenuChange<Category>>(async tx =>
        {
            var order = displayOrder ?? await services.Categories.NextDisplayOrderAsync(tx, restaurantId, ct);
            var created = await services.Categories.InsertAsync(tx, restaurantId, name!, description, order, tx.Clock.GetUtcNow(), ct);
            tx.Publish(new MenuCategoryCreated(restaurantId, created.Id, created.Name, created.DisplayOrder));
            return new MenuChange<Category>.Done(created);
        }, ct);
        return await AnswerAsync(change, restaurantId, services,
            category => TypedResults.Created($"/restaurants/{restaurantId}/categories/{category.Id}", category.ToResponse()));
    }

    public static async Task<Results<Ok<CategoryResponse>, ProblemHttpResult>> UpdateCategoryAsync(
        Guid restaurantId, Guid categoryId, UpdateCategoryRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services,
        CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name, required: false);
        var description = rules.OptionalText(request.Description.Value, "description", MenuInput.MaxDescriptionLength);
        var displayOrder = rules.DisplayOrder(request.DisplayOrder);
        if (name is null && !request.Description.IsSpecified && displayOrder is null)
            rules.Add("body", "names no field to change (name, description, display_order).");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var change = await services.Database.InTransactionAsync<MenuChange<Category>>(async tx =>
        {
            var current = await services.Categories.FindAsync(tx, restaurantId, categoryId, ct);
            if (current is null) return new MenuChange<Category>.NotFound("The category");
            var updated = await services.Categories.UpdateAsync(tx, current with
            {
                Name = name ?? current.Name,
                Description = request.Description.IsSpecified ? description : current.Description,
                DisplayOrder = displayOrder ?? current.DisplayOrder,
                UpdatedAt = tx.Clock.GetUtcNow(),
            }, ct);
            tx.Publish(new MenuCategoryUpdated(restaurantId, updated.Id, updated.Name, updated.DisplayOrder));
            return new MenuChange<Category>.Done(updated);
        }, ct);
        return await AnswerAsync(change, restaurantId, services, category => TypedResults.Ok(category.ToResponse()));
    }

    /// <summary>Soft delete; refused (409) while any food not deleted is still in the category.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCategoryAsync(
        Guid restaurantId, Guid categoryId, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var change = await services.Database.InTransactionAsync<MenuChange<Category>>(async tx =>
        {
            var category = await services.Categories.FindAsync(tx, restaurantId, categoryId, ct);
            if (category is null) return new MenuChange<Category>.NotFound("The category");
            if (await services.Categories.HasLiveFoodsAsync(tx, categoryId, ct)) return new MenuChange<Category>.CategoryHasFoods();
            await services.Categories.SoftDeleteAsync(tx, categoryId, tx.Clock.GetUtcNow(), ct);
            tx.Publish(new MenuCategoryDeleted(restaurantId, category.Id, category.Name, category.DisplayOrder));
            return new MenuChange<Category>.Done(category);
        }, ct);
        return await AnswerAsync(change, restaurantId, services, _ => TypedResults.NoContent());
    }

    /// <summary>Every food for the owner's editors, with those the public menu leaves out: unavailable (<c>is_available</c>) or sold out (<c>sold_out</c>).</summary>
    public static async Task<Results<Ok<IReadOnlyList<FoodResponse>>, ProblemHttpResult>> ListFoodsAsync(
        Guid restaurantId, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var foods = await services.Foods.ListAsync(restaurantId, ct);
        return TypedResults.Ok<IReadOnlyList<FoodResponse>>(foods.Select(f => f.ToResponse()).ToList());
    }

    public static async Task<Results<Created<FoodResponse>, ProblemHttpResult>> CreateFoodAsync(
        Guid restaurantId, CreateFoodRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name);
        var description = rules.OptionalText(request.Description, "description", MenuInput.MaxDescriptionLength);
        var price = rules.Price(request.Price);
        var groups = rules.ModifierGroups(request.ModifierGroups);
        var allergens = rules.Tags(request.Allergens, Dietary.Allergens, "allergens");
        var diets = rules.Tags(request.Diets, Dietary.Diets, "diets");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var change = await services.Database.InTransactionAsync<MenuChange<Food>>(async tx =>
        {
            var (known, categoryName) = await CategoryNameAsync(services, tx, restaurantId, request.CategoryId, ct);
            if (!known) return new MenuChange<Food>.UnknownCategory();
            var created = await services.Foods.InsertAsync(tx, restaurantId, request.CategoryId, name!, description,
                price!.Value, request.IsAvailable ?? true, new FoodDetails(groups ?? [], allergens ?? [], diets ?? []), tx.Clock.GetUtcNow(), ct);
            tx.Publish(new MenuFoodCreated(
                restaurantId, created.Id, created.CategoryId, categoryName, created.Name, created.Price, created.IsAvailable));
            return new MenuChange<Food>.Done(created);
        }, ct);
        return await AnswerAsync(change, restaurantId, services,
            food => TypedResults.Created($"/restaurants/{restaurantId}/foods/{food.Id}", food.ToResponse()));
    }

    /// <summary>Changes the fields present in the body; <c>"category_id": null</c> takes the food out of its category.</summary>
    public static async Task<Results<Ok<FoodResponse>, ProblemHttpResult>> UpdateFoodAsync(
        Guid restaurantId, Guid foodId, UpdateFoodRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services,
        CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name, required: false);
        var description = rules.OptionalText(request.Description.Value, "description", MenuInput.MaxDescriptionLength);
        var price = rules.Price(request.Price, required: false);
        var groups = rules.ModifierGroups(request.ModifierGroups);
        var allergens = rules.Tags(request.Allergens, Dietary.Allergens, "allergens");
        var diets = rules.Tags(request.Diets, Dietary.Diets, "diets");
        if (name is null && !request.Description.IsSpecified && price is null && !request.CategoryId.IsSpecified && request.IsAvailable is null
            && request.ModifierGroups is null && request.Allergens is null && request.Diets is null)
            rules.Add("body", "names no field to change (name, description, price, category_id, is_available, modifier_groups, allergens, diets).");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var change = await services.Database.InTransactionAsync<MenuChange<Food>>(async tx =>
        {
            var current = await services.Foods.FindAsync(tx, restaurantId, foodId, ct);
            if (current is null) return new MenuChange<Food>.NotFound("The food");
            var categoryId = request.CategoryId.Or(current.CategoryId);
            var (known, categoryName) = await CategoryNameAsync(services, tx, restaurantId, categoryId, ct);
            if (!known) return new MenuChange<Food>.UnknownCategory();
            var updated = await services.Foods.UpdateAsync(tx, current with
            {
                CategoryId = categoryId,
                Name = name ?? current.Name,
                Description = request.Description.IsSpecified ? description : current.Description,
                Price = price ?? current.Price,
                IsAvailable = request.IsAvailable ?? current.IsAvailable,
                ModifierGroups = groups ?? current.ModifierGroups,
                Allergens = allergens ?? current.Allergens,
                Diets = diets ?? current.Diets,
                UpdatedAt = tx.Clock.GetUtcNow(),
            }, ct);
            tx.Publish(new MenuFoodUpdated(
                restaurantId, updated.Id, updated.CategoryId, categoryName, updated.Name, updated.Price, updated.IsAvailable));
            return new MenuChange<Food>.Done(updated);
        }, ct);
        return await AnswerAsync(change, restaurantId, services, food => TypedResults.Ok(food.ToResponse()));
    }

    /// <summary>Soft delete: gone from the menu, never available again, still known to orders that name it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteFoodAsync(
        Guid restaurantId, Guid foodId, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var change = await services.Database.InTransactionAsync<MenuChange<Food>>(async tx =>
        {
            var food = await services.Foods.FindAsync(tx, restaurantId, foodId, ct);
            if (food is null) return new MenuChange<Food>.NotFound("The food");
            var (_, categoryName) = await CategoryNameAsync(services, tx, restaurantId, food.CategoryId, ct);
            await services.Foods.SoftDeleteAsync(tx, foodId, tx.Clock.GetUtcNow(), ct);
            tx.Publish(new MenuFoodDeleted(
                restaurantId, food.Id, food.CategoryId, categoryName, food.Name, food.Price, IsAvailable: false));
            return new MenuChange<Food>.Done(food);
        }, ct);
        return await AnswerAsync(change, restaurantId, services, _ => TypedResults.NoContent());
    }

    /// <summary>The name of the food's category (null for none) for its event; not known when it is not a live category of this restaurant.</summary>
    private static async Task<(bool Known, string? Name)> CategoryNameAsync(
        RestaurantServices services, UnitOfWork tx, Guid restaurantId, Guid? categoryId, CancellationToken ct)
    {
        if (categoryId is not { } id) return (true, null);
        var category = await services.Categories.FindAsync(tx, restaurantId, id, ct);
        return (category is not null, category?.Name);
    }

    /// <summary>A committed change drops the cached menu before answering, so the next read shows it; a refused one says why.</summary>
    private static async Task<Results<TOk, ProblemHttpResult>> AnswerAsync<T, TOk>(
        MenuChange<T> change, Guid restaurantId, RestaurantServices services, Func<T, TOk> ok) where TOk : IResult
    {
        switch (change)
        {
            case MenuChange<T>.Done done:
                await services.MenuCache.InvalidateAsync(restaurantId);
                return ok(done.Value);
            case MenuChange<T>.NotFound notFound:
                return Problems.NotFound(notFound.What);
            case MenuChange<T>.UnknownCategory:
                return Problems.Validation("category_id", "must be a category of this restaurant.");
            default:
                return Problems.Conflict("category_has_foods", "The category still has foods; delete them or move them to another category first.");
        }
    }
}

/// <summary>How a menu change ended inside its transaction.</summary>
public abstract record MenuChange<T>
{
    public sealed record Done(T Value) : MenuChange<T>;

    public sealed record NotFound(string What) : MenuChange<T>;

    /// <summary><c>category_id</c> is not a live category of the restaurant.</summary>
    public sealed record UnknownCategory : MenuChange<T>;

    /// <summary>A category still holding foods cannot be deleted.</summary>
    public sealed record CategoryHasFoods : MenuChange<T>;
}
