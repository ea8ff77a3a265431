using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Identity.Ownership;
using RestMan.Inventory.Infrastructure;
using RestMan.Inventory.Model;

namespace RestMan.Inventory.Apis;

/// <summary>
/// A restaurant's store room: its items, counts and adjustments (each a ledger line with who and why), the ledger,
/// and each food's recipe. The owner sets items and recipes up; the kitchen staff count and record waste.
/// Another restaurant's item does not exist for the caller (404).
/// </summary>
public static class StockApi
{
    public static RouteGroupBuilder MapStockApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/inventory").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var staff = new[] { Roles.Owner, Roles.KitchenStaff };

        api.MapGet("/items", ListAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPost("/items", CreateAsync).RequireAuthorization(Roles.Owner);
        api.MapPut("/items/{id:guid}", UpdateAsync).RequireAuthorization(Roles.Owner);
        api.MapPost("/items/{id:guid}/counts", CountAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPost("/items/{id:guid}/adjustments", AdjustAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapGet("/items/{id:guid}/movements", MovementsAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapGet("/recipes/{foodId:guid}", RecipeAsync).RequireAuthorization(p => p.RequireRole(staff));
        api.MapPut("/recipes/{foodId:guid}", SaveRecipeAsync).RequireAuthorization(Roles.Owner);
        return api;
    }

    /// <summary><c>?restaurant_id=</c>: staff get their restaurant's items, an owner those of all their restaurants or of the one named.</summary>
    public static async Task<Results<Ok<IReadOnlyList<StockItemResponse>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var (scope, problem) = await services.ListScopeAsync(user, restaurantId, ct);
        if (scope is null) return problem!;
        var items = await services.Stock.ListAsync(scope, ct);
        var usage = await services.Stock.AverageDailyUsageAsync(scope, services.Clock.GetUtcNow(), ct);
        return TypedResults.Ok<IReadOnlyList<StockItemResponse>>(items.Select(i => StockItemResponse.From(i, usage.GetValueOrDefault(i.Id))).ToList());
    }

    public static async Task<Results<Created<StockItemResponse>, ProblemHttpResult>> CreateAsync(
        SaveStockItemRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var item = Validate(rules, request, Guid.NewGuid(), restaurant ?? Guid.Empty);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, item.RestaurantId, ct)) return Problems.NotFound("The restaurant");
        if (!await services.Database.InTransactionAsync(tx => services.Stock.SaveAsync(tx, item, ct), ct)) return SkuTaken(item.Sku);
        return TypedResults.Created($"/inventory/items/{item.Id}", StockItemResponse.From((await services.Stock.FindAsync(item.Id, ct))!, 0));
    }

    /// <summary>Changes an item's settings; its quantities move only through counts, adjustments, orders and deliveries.</summary>
    public static async Task<Results<Ok<StockItemResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, SaveStockItemRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var item = Validate(rules, request, id, restaurant ?? Guid.Empty);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var existing = await services.Stock.FindAsync(id, ct);
        if (existing is null || !await services.Scope.CanSeeAsync(user, existing.RestaurantId, ct)) return Problems.NotFound("The stock item");
        if (existing.RestaurantId != restaurant) return Problems.Validation("restaurant_id", "must be the item's own restaurant: an item never moves.");
        var saved = await services.Database.InTransactionAsync(async tx =>
        {
            if (!await services.Stock.SaveAsync(tx, item, ct)) return false;
            // A new reorder level may make the item low (or no longer): announced as any other change.
            await services.Ledger.AnnounceChangesAsync(tx, [id], tx.Clock.GetUtcNow(), ct);
            return true;
        }, ct);
        if (!saved) return SkuTaken(item.Sku);
        return TypedResults.Ok(StockItemResponse.From((await services.Stock.FindAsync(id, ct))!, 0));
    }

    /// <summary>A count sets on hand to what is on the shelf; the difference is the ledger line.</summary>
    public static async Task<Results<Ok<StockItemResponse>, ProblemHttpResult>> CountAsync(
        Guid id, StockCountRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var counted = Quantities.NotNegative(rules, request.Counted, "counted");
        if (request.Counted is null) rules.Add("counted", "is required.");
        var reason = rules.OptionalText(request.Reason, "reason", 200);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        return await MoveAsync(id, user, services, item => new StockMove(id, MoveKinds.Count, counted - item.OnHand, 0, reason ?? "count", ActorUserId: user.UserId()), ct);
    }

    public static async Task<Results<Ok<StockItemResponse>, ProblemHttpResult>> AdjustAsync(
        Guid id, StockAdjustmentRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var kind = rules.OneOf(request.Kind, "kind", StockRules.AdjustmentKinds);
        if (request.Kind is null) rules.Add("kind", $"is required: one of {string.Join(", ", StockRules.AdjustmentKinds)}.");
        decimal change = 0;
        if (kind == "correction")
        {
            if (request.Quantity is not { } delta || delta == 0 || Math.Abs(delta) > Quantities.Max || decimal.Round(delta, 3) != delta)
                rules.Add("quantity", $"must be a non-zero change of at most {Quantities.Max}, to 3 decimals (negative takes stock off).");
            else change = delta;
        }
        else change = -Quantities.Positive(rules, request.Quantity, "quantity");
        var reason = rules.OptionalText(request.Reason, "reason", 200);
        if (reason is null && !rules.Has("reason")) rules.Add("reason", "is required: say why the stock changed.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        return await MoveAsync(id, user, services, _ => new StockMove(id, kind!, change, 0, reason, ActorUserId: user.UserId()), ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<StockMovementResponse>>, ProblemHttpResult>> MovementsAsync(
        Guid id, [FromQuery] string? page, [FromQuery(Name = "page_size")] string? pageSize, ClaimsPrincipal user,
        [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var (number, size) = Paging.Parse(page, pageSize, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var item = await services.Stock.FindAsync(id, ct);
        if (item is null || !await services.Scope.CanSeeAsync(user, item.RestaurantId, ct)) return Problems.NotFound("The stock item");
        return TypedResults.Ok(await services.Stock.MovementsAsync(id, size, (number - 1) * size, ct));
    }

    public static async Task<Results<Ok<RecipeResponse>, ProblemHttpResult>> RecipeAsync(
        Guid foodId, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var recipe = await services.Recipes.FindAsync(foodId, ct);
        if (recipe is null || !await services.Scope.CanSeeAsync(user, recipe.RestaurantId, ct)) return Problems.NotFound("The recipe");
        return TypedResults.Ok(recipe);
    }

    /// <summary>Replaces the food's recipe (an empty list removes it: the food is then never held back by stock).</summary>
    public static async Task<Results<Ok<RecipeResponse>, NoContent, ProblemHttpResult>> SaveRecipeAsync(
        Guid foodId, SaveRecipeRequest request, ClaimsPrincipal user, [AsParameters] InventoryServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.RequiredId(request.RestaurantId, "restaurant_id", "a restaurant id");
        var lines = new List<RecipeLine>();
        if (request.Lines is null) rules.Add("lines", "is required (an empty list removes the recipe).");
        else if (request.Lines.Count > 50) rules.Add("lines", "must list at most 50 lines.");
        else
        {
            for (var i = 0; i < request.Lines.Count; i++)
            {
                var field = $"lines[{i}]";
                if (request.Lines[i] is not { } line) { rules.Add(field, "must be a recipe line."); continue; }
                var item = rules.RequiredId(line.StockItemId, field + ".stock_item_id", "a stock item id");
                var option = rules.OptionalId(line.OptionId, field + ".option_id", "a modifier option id");
                var quantity = Quantities.Positive(rules, line.Quantity, field + ".quantity");
                if (item is { } itemId && lines.Any(l => l.StockItemId == itemId && l.OptionId == option))
                    rules.Add(field + ".stock_item_id", "is already on the recipe for this food or option.");
                else if (item is { } id) lines.Add(new RecipeLine(foodId, option, id, quantity));
            }
        }
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, restaurant!.Value, ct)) return Problems.NotFound("The restaurant");
        var existing = await services.Recipes.FindAsync(foodId, ct);
        if (existing is not null && existing.RestaurantId != restaurant) return Problems.NotFound("The recipe");

        if (!await services.Database.InTransactionAsync(tx => services.Recipes.SaveAsync(tx, restaurant.Value, foodId, lines, ct), ct))
            return Problems.Validation("lines", "must name stock items of this restaurant.");
        return await services.Recipes.FindAsync(foodId, ct) is { } saved ? TypedResults.Ok(saved) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<StockItemResponse>, ProblemHttpResult>> MoveAsync(
        Guid id, ClaimsPrincipal user, InventoryServices services, Func<StockItem, StockMove> moveOf, CancellationToken ct)
    {
        var existing = await services.Stock.FindAsync(id, ct);
        if (existing is null || !await services.Scope.CanSeeAsync(user, existing.RestaurantId, ct)) return Problems.NotFound("The stock item");
        await services.Database.InTransactionAsync(async tx =>
        {
            // Read under the row lock: a count racing an order's reservation still lands on the right difference.
            var item = await StockRepository.LockAsync(tx, id, ct);
            await services.Ledger.ApplyAsync(tx, [moveOf(item!)], ct);
        }, ct);
        var usage = await services.Stock.AverageDailyUsageAsync([existing.RestaurantId], services.Clock.GetUtcNow(), ct);
        return TypedResults.Ok(StockItemResponse.From((await services.Stock.FindAsync(id, ct))!, usage.GetValueOrDefault(id)));
    }

    private static StockItem Validate(InputRules rules, SaveStockItemRequest request, Guid id, Guid restaurantId)
    {
        var name = rules.OptionalText(request.Name, "name", 120);
        if (name is null && !rules.Has("name")) rules.Add("name", "is required.");
        var sku = rules.OptionalText(request.Sku, "sku", 60);
        if (sku is null && !rules.Has("sku")) rules.Add("sku", "is required.");
        var unit = rules.OneOf(request.Unit, "unit", StockRules.Units);
        if (request.Unit is null) rules.Add("unit", $"is required: one of {string.Join(", ", StockRules.Units)}.");
        var supplier = rules.OptionalId(request.SupplierId, "supplier_id", "a supplier id");
        var leadTime = request.LeadTimeDays ?? 2;
        if (leadTime is < 0 or > 365) rules.Add("lead_time_days", "must be from 0 to 365.");
        return new StockItem(id, restaurantId, name ?? "", sku ?? "", unit ?? "", 0, 0,
            Quantities.NotNegative(rules, request.Minimum, "minimum"), Quantities.NotNegative(rules, request.ReorderLevel, "reorder_level"),
            Quantities.NotNegative(rules, request.UnitCost, "unit_cost", 4), supplier, leadTime, false, false);
    }

    private static ProblemHttpResult SkuTaken(string sku) =>
        Problems.Conflict("sku_exists", $"The restaurant already has a stock item with SKU {sku}.");
}
