using System.Security.Claims;
using Npgsql;
using RestMan.Data;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// An owner's menu: categories and foods. Each change commits with exactly one menu event in the outbox, then drops
/// the cached menu before answering, so the next read of the menu shows it.
/// </summary>
public static class MenuApi
{
    public static RouteGroupBuilder MapMenuApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/restaurants/{restaurantId:guid}").RequireAuthorization(Roles.Owner);

        api.MapPost("/categories", CreateCategoryAsync).Produces<CategoryResponse>(StatusCodes.Status201Created);
        api.MapPut("/categories/{categoryId:guid}", UpdateCategoryAsync).Produces<CategoryResponse>();
        api.MapDelete("/categories/{categoryId:guid}", DeleteCategoryAsync).Produces(StatusCodes.Status204NoContent);

        api.MapPost("/foods", CreateFoodAsync).Produces<FoodResponse>(StatusCodes.Status201Created);
        api.MapPut("/foods/{foodId:guid}", UpdateFoodAsync).Produces<FoodResponse>();
        api.MapDelete("/foods/{foodId:guid}", DeleteFoodAsync).Produces(StatusCodes.Status204NoContent);

        return api;
    }

    /// <summary>Without <c>display_order</c> the category goes after the restaurant's last one.</summary>
    public static async Task<IResult> CreateCategoryAsync(
        Guid restaurantId, CreateCategoryRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name);
        var description = rules.OptionalText(request.Description, "description", InputRules.MaxDescriptionLength);
        var displayOrder = rules.DisplayOrder(request.DisplayOrder);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var now = services.Clock.GetUtcNow();
        var category = await services.Database.InTransactionAsync(async (connection, transaction, token) =>
        {
            var order = displayOrder ?? await services.Categories.NextDisplayOrderAsync(connection, transaction, restaurantId, token);
            var created = await services.Categories.InsertAsync(connection, transaction, restaurantId, name!, description, order, now, token);
            await services.Outbox.AddAsync(connection, transaction,
                new MenuCategoryCreated(restaurantId, created.Id, created.Name, created.DisplayOrder), token);
            return created;
        }, ct);
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.Created($"/restaurants/{restaurantId}/categories/{category.Id}", category.ToResponse());
    }

    public static async Task<IResult> UpdateCategoryAsync(
        Guid restaurantId, Guid categoryId, UpdateCategoryRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services,
        CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name, required: false);
        var description = rules.OptionalText(request.Description.Value, "description", InputRules.MaxDescriptionLength);
        var displayOrder = rules.DisplayOrder(request.DisplayOrder);
        if (name is null && !request.Description.IsSpecified && displayOrder is null)
            rules.Add("body", "names no field to change (name, description, display_order).");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var now = services.Clock.GetUtcNow();
        var (category, problem) = await services.Database.InTransactionAsync<(Category?, IResult?)>(async (connection, transaction, token) =>
        {
            var current = await services.Categories.FindAsync(connection, transaction, restaurantId, categoryId, token);
            if (current is null) return (null, Problems.NotFound("The category"));
            var updated = await services.Categories.UpdateAsync(connection, transaction, current with
            {
                Name = name ?? current.Name,
                Description = request.Description.IsSpecified ? description : current.Description,
                DisplayOrder = displayOrder ?? current.DisplayOrder,
                UpdatedAt = now,
            }, token);
            await services.Outbox.AddAsync(connection, transaction,
                new MenuCategoryUpdated(restaurantId, updated.Id, updated.Name, updated.DisplayOrder), token);
            return (updated, null);
        }, ct);
        if (problem is not null) return problem;
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.Ok(category!.ToResponse());
    }

    /// <summary>Soft delete; refused (409) while any food not deleted is still in the category.</summary>
    public static async Task<IResult> DeleteCategoryAsync(
        Guid restaurantId, Guid categoryId, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var now = services.Clock.GetUtcNow();
        var problem = await services.Database.InTransactionAsync<IResult?>(async (connection, transaction, token) =>
        {
            var category = await services.Categories.FindAsync(connection, transaction, restaurantId, categoryId, token);
            if (category is null) return Problems.NotFound("The category");
            if (await services.Categories.HasLiveFoodsAsync(connection, transaction, categoryId, token))
                return Problems.Conflict("category_has_foods", "The category still has foods; delete them or move them to another category first.");
            await services.Categories.SoftDeleteAsync(connection, transaction, categoryId, now, token);
            await services.Outbox.AddAsync(connection, transaction,
                new MenuCategoryDeleted(restaurantId, category.Id, category.Name, category.DisplayOrder), token);
            return null;
        }, ct);
        if (problem is not null) return problem;
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> CreateFoodAsync(
        Guid restaurantId, CreateFoodRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name);
        var description = rules.OptionalText(request.Description, "description", InputRules.MaxDescriptionLength);
        var price = rules.Price(request.Price);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var now = services.Clock.GetUtcNow();
        var (food, problem) = await services.Database.InTransactionAsync<(Food?, IResult?)>(async (connection, transaction, token) =>
        {
            var (categoryName, categoryProblem) = await CategoryNameAsync(services, connection, transaction, restaurantId, request.CategoryId, token);
            if (categoryProblem is not null) return (null, categoryProblem);
            var created = await services.Foods.InsertAsync(connection, transaction, restaurantId, request.CategoryId, name!, description,
                price!.Value, request.IsAvailable ?? true, now, token);
            await services.Outbox.AddAsync(connection, transaction, new MenuFoodCreated(
                restaurantId, created.Id, created.CategoryId, categoryName, created.Name, created.Price, created.IsAvailable), token);
            return (created, null);
        }, ct);
        if (problem is not null) return problem;
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.Created($"/restaurants/{restaurantId}/foods/{food!.Id}", food.ToResponse());
    }

    /// <summary>Changes the fields present in the body; <c>"category_id": null</c> takes the food out of its category.</summary>
    public static async Task<IResult> UpdateFoodAsync(
        Guid restaurantId, Guid foodId, UpdateFoodRequest request, ClaimsPrincipal user, [AsParameters] RestaurantServices services,
        CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var rules = new InputRules();
        var name = rules.Name(request.Name, required: false);
        var description = rules.OptionalText(request.Description.Value, "description", InputRules.MaxDescriptionLength);
        var price = rules.Price(request.Price, required: false);
        if (name is null && !request.Description.IsSpecified && price is null && !request.CategoryId.IsSpecified && request.IsAvailable is null)
            rules.Add("body", "names no field to change (name, description, price, category_id, is_available).");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var now = services.Clock.GetUtcNow();
        var (food, problem) = await services.Database.InTransactionAsync<(Food?, IResult?)>(async (connection, transaction, token) =>
        {
            var current = await services.Foods.FindAsync(connection, transaction, restaurantId, foodId, token);
            if (current is null) return (null, Problems.NotFound("The food"));
            var categoryId = request.CategoryId.Or(current.CategoryId);
            var (categoryName, categoryProblem) = await CategoryNameAsync(services, connection, transaction, restaurantId, categoryId, token);
            if (categoryProblem is not null) return (null, categoryProblem);
            var updated = await services.Foods.UpdateAsync(connection, transaction, current with
            {
                CategoryId = categoryId,
                Name = name ?? current.Name,
                Description = request.Description.IsSpecified ? description : current.Description,
                Price = price ?? current.Price,
                IsAvailable = request.IsAvailable ?? current.IsAvailable,
                UpdatedAt = now,
            }, token);
            await services.Outbox.AddAsync(connection, transaction, new MenuFoodUpdated(
                restaurantId, updated.Id, updated.CategoryId, categoryName, updated.Name, updated.Price, updated.IsAvailable), token);
            return (updated, null);
        }, ct);
        if (problem is not null) return problem;
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.Ok(food!.ToResponse());
    }

    /// <summary>Soft delete: gone from the menu, never available again, still known to orders that name it.</summary>
    public static async Task<IResult> DeleteFoodAsync(
        Guid restaurantId, Guid foodId, ClaimsPrincipal user, [AsParameters] RestaurantServices services, CancellationToken ct)
    {
        var (_, denied) = await services.Restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var now = services.Clock.GetUtcNow();
        var problem = await services.Database.InTransactionAsync<IResult?>(async (connection, transaction, token) =>
        {
            var food = await services.Foods.FindAsync(connection, transaction, restaurantId, foodId, token);
            if (food is null) return Problems.NotFound("The food");
            var (categoryName, _) = await CategoryNameAsync(services, connection, transaction, restaurantId, food.CategoryId, token);
            await services.Foods.SoftDeleteAsync(connection, transaction, foodId, now, token);
            await services.Outbox.AddAsync(connection, transaction, new MenuFoodDeleted(
                restaurantId, food.Id, food.CategoryId, categoryName, food.Name, food.Price, IsAvailable: false), token);
            return null;
        }, ct);
        if (problem is not null) return problem;
        await services.MenuChangedAsync(restaurantId);
        return TypedResults.NoContent();
    }

    /// <summary>The category's name for the event, or a 400 naming <c>category_id</c> when it is not a live category of this restaurant.</summary>
    private static async Task<(string? Name, IResult? Problem)> CategoryNameAsync(
        RestaurantServices services, NpgsqlConnection connection, NpgsqlTransaction transaction, Guid restaurantId, Guid? categoryId,
        CancellationToken ct)
    {
        if (categoryId is not { } id) return (null, null);
        var category = await services.Categories.FindAsync(connection, transaction, restaurantId, id, ct);
        return category is null
            ? (null, Problems.Validation("category_id", "must be a category of this restaurant."))
            : (category.Name, null);
    }
}
