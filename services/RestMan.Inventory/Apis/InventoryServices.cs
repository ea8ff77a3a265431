using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RestMan.Data;
using RestMan.Email;
using RestMan.Identity.Ownership;
using RestMan.Inventory.Infrastructure;

namespace RestMan.Inventory.Apis;

/// <summary>What the Inventory endpoints need, bound with [AsParameters].</summary>
public sealed class InventoryServices(
    Database database,
    StockRepository stock,
    StockLedger ledger,
    RecipeRepository recipes,
    PurchasingRepository purchasing,
    UsageReports reports,
    RestaurantScope scope,
    IEmailSender email,
    TimeProvider clock)
{
    public Database Database { get; } = database;
    public StockRepository Stock { get; } = stock;
    public StockLedger Ledger { get; } = ledger;
    public RecipeRepository Recipes { get; } = recipes;
    public PurchasingRepository Purchasing { get; } = purchasing;
    public UsageReports Reports { get; } = reports;
    public RestaurantScope Scope { get; } = scope;
    public IEmailSender Email { get; } = email;
    public TimeProvider Clock { get; } = clock;

    /// <summary>
    /// <c>?restaurant_id=</c> of a list: the restaurants it covers (staff: theirs; an owner: all theirs or the one named),
    /// or the problem to answer (400 for a bad id, 404 for a restaurant the caller may not see).
    /// </summary>
    public async Task<(IReadOnlyList<Guid>? Restaurants, ProblemHttpResult? Problem)> ListScopeAsync(ClaimsPrincipal user, string? restaurantId, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (!rules.IsValid) return (null, Problems.Validation(rules.Errors));
        return await Scope.ResolveAsync(user, restaurant, ct) is { } scope ? (scope, null) : (null, Problems.NotFound("The restaurant"));
    }
}

/// <summary>Quantities as the store room counts them: grams to the milligram, never absurdly large.</summary>
internal static class Quantities
{
    public const decimal Max = 100_000_000m;

    public static decimal Positive(InputRules rules, decimal? value, string field)
    {
        if (value is null) rules.Add(field, "is required.");
        else if (value <= 0 || value > Max || decimal.Round(value.Value, 3) != value) rules.Add(field, $"must be more than 0 and at most {Max}, to 3 decimals.");
        return value ?? 0;
    }

    public static decimal NotNegative(InputRules rules, decimal? value, string field, int decimals = 3)
    {
        if (value is null) return 0;
        if (value < 0 || value > Max || decimal.Round(value.Value, decimals) != value) rules.Add(field, $"must be from 0 to {Max}, to {decimals} decimals.");
        return value.Value;
    }
}
