using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Orders.Model;

namespace RestMan.Orders.Apis;

/// <summary>A restaurant's dining tables: the owner lays out the floor; the floor staff see and turn the tables.</summary>
public static class TablesApi
{
    public const int MaxSection = 50;

    public static RouteGroupBuilder MapTablesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/tables").AddEndpointFilter<RestaurantsUnavailableFilter>();
        var floor = new[] { Roles.Owner, Roles.Waiter, Roles.KitchenStaff };

        api.MapPost("", CreateTableAsync).RequireAuthorization(Roles.Owner);
        api.MapGet("", ListTablesAsync).RequireAuthorization(p => p.RequireRole(floor));
        api.MapGet("/{id:guid}", GetTableAsync).RequireAuthorization(p => p.RequireRole(floor));
        api.MapPut("/{id:guid}", UpdateTableAsync).RequireAuthorization(Roles.Owner);
        api.MapDelete("/{id:guid}", RemoveTableAsync).RequireAuthorization(Roles.Owner);
        api.MapPatch("/{id:guid}/status", ChangeTableStatusAsync).RequireAuthorization(p => p.RequireRole(Roles.Owner, Roles.Waiter));

        return api;
    }

    /// <summary>A new AVAILABLE table; 409 <c>table_number_taken</c> when the restaurant already has that number.</summary>
    public static async Task<Results<Created<TableResponse>, ProblemHttpResult>> CreateTableAsync(
        CreateTableRequest request, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        if (request.RestaurantId is not { } restaurantId || restaurantId == Guid.Empty) rules.Add("restaurant_id", "is required.");
        var (number, capacity, section) = CheckLayout(request.Number, request.Capacity, request.Section, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (!await services.Scope.CanSeeAsync(user, request.RestaurantId!.Value, ct)) return Problems.NotFound("The restaurant");

        try
        {
            var table = await services.Database.InTransactionAsync(
                tx => services.Tables.InsertAsync(tx, request.RestaurantId!.Value, number, capacity, section!, ct), ct);
            return TypedResults.Created($"/tables/{table.Id}", TableResponse.From(table));
        }
        catch (Exception ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            return NumberTaken(number);
        }
    }

    /// <summary>
    /// The tables of one restaurant (<c>restaurant_id</c>), or of every restaurant the caller may see, by section and
    /// number, each with its live status and open order.
    /// </summary>
    public static async Task<Results<Ok<List<TableResponse>>, ProblemHttpResult>> ListTablesAsync(
        ClaimsPrincipal user, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var restaurant = rules.OptionalId(restaurantId, "restaurant_id", "a restaurant id");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        if (await services.Scope.ResolveAsync(user, restaurant, ct) is not { } scope) return Problems.NotFound("The restaurant");

        var tables = new List<TableResponse>();
        foreach (var id in scope) tables.AddRange((await services.Tables.ListAsync(id, ct)).Select(TableResponse.From));
        return TypedResults.Ok(tables);
    }

    public static async Task<Results<Ok<TableResponse>, ProblemHttpResult>> GetTableAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var table = await services.Tables.FindAsync(id, ct);
        return table is { RemovedAt: null } && await services.Scope.CanSeeAsync(user, table.RestaurantId, ct)
            ? TypedResults.Ok(TableResponse.From(table))
            : Problems.NotFound("The table");
    }

    public static async Task<Results<Ok<TableResponse>, ProblemHttpResult>> UpdateTableAsync(
        Guid id, UpdateTableRequest request, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var (number, capacity, section) = CheckLayout(request.Number, request.Capacity, request.Section, rules);
        if (!rules.IsValid) return Problems.Validation(rules.Errors);
        var known = await services.Tables.FindAsync(id, ct);
        if (known is not { RemovedAt: null } || !await services.Scope.CanSeeAsync(user, known.RestaurantId, ct)) return Problems.NotFound("The table");

        try
        {
            var table = await services.Database.InTransactionAsync(tx => services.Tables.UpdateAsync(tx, id, number, capacity, section!, ct), ct);
            return table is null ? Problems.NotFound("The table") : TypedResults.Ok(TableResponse.From(table));
        }
        catch (Exception ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            return NumberTaken(number);
        }
    }

    /// <summary>Takes a table out of service; 409 <c>table_occupied</c> while guests sit there.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveTableAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var known = await services.Tables.FindAsync(id, ct);
        if (known is not { RemovedAt: null } || !await services.Scope.CanSeeAsync(user, known.RestaurantId, ct)) return Problems.NotFound("The table");

        var occupied = await services.Database.InTransactionAsync(async tx =>
        {
            var table = await services.Tables.LockAsync(tx, id);
            if (table is null || table.RemovedAt is not null) return false;
            if (table.Status == TableStatus.Occupied) return true;
            await services.Tables.RemoveAsync(tx, id, ct);
            return false;
        }, ct);
        return occupied
            ? Problems.Conflict("table_occupied", "Guests are seated at this table; close or move its order first.")
            : TypedResults.NoContent();
    }

    /// <summary>
    /// Staff turn a table by hand (NEEDS_CLEANING → AVAILABLE once cleaned, AVAILABLE ↔ RESERVED); OCCUPIED comes and goes
    /// only with its order, so those moves are a 409 <c>illegal_transition</c>.
    /// </summary>
    public static async Task<Results<Ok<TableResponse>, ProblemHttpResult>> ChangeTableStatusAsync(
        Guid id, ChangeTableStatusRequest request, ClaimsPrincipal user, [AsParameters] OrderServices services, CancellationToken ct)
    {
        var target = request.Status?.Trim().ToUpperInvariant();
        if (!TableStatus.IsKnown(target)) return Problems.Validation("status", $"must be one of {string.Join(", ", TableStatus.All)}.");
        var known = await services.Tables.FindAsync(id, ct);
        if (known is not { RemovedAt: null } || !await services.Scope.CanSeeAsync(user, known.RestaurantId, ct)) return Problems.NotFound("The table");

        var outcome = await services.Database.InTransactionAsync<StatusChange>(async tx =>
        {
            var table = await services.Tables.LockAsync(tx, id);
            if (table is not { RemovedAt: null }) return new StatusChange.NotFound();
            if (table.Status == target) return new StatusChange.Moved();
            if (!TableStatus.CanSetByHand(table.Status, target!)) return new StatusChange.Refused(table.Status);
            await services.Tables.SetStatusAsync(tx, table, target!, user.Role()!, user.UserId());
            return new StatusChange.Moved();
        }, ct);
        return outcome switch
        {
            StatusChange.Moved => TypedResults.Ok(TableResponse.From((await services.Tables.FindAsync(id, ct))!)),
            StatusChange.Refused refused => Problems.Conflict("illegal_transition", refused.From == TableStatus.Occupied || target == TableStatus.Occupied
                ? $"A table becomes {TableStatus.Occupied} when an order is opened there and leaves it when the order is paid, moved or merged."
                : $"A table that is {refused.From} cannot become {target} by hand."),
            _ => Problems.NotFound("The table"),
        };
    }

    private static (int Number, int Capacity, string? Section) CheckLayout(int? number, int? capacity, string? section, InputRules rules)
    {
        if (number is not (>= 1 and <= 9999)) rules.Add("number", "must be a whole number from 1 to 9999.");
        if (capacity is not (>= 1 and <= 100)) rules.Add("capacity", "must be a whole number from 1 to 100.");
        var cleanSection = rules.OptionalText(section, "section", MaxSection);
        if (cleanSection is null && !rules.Has("section")) rules.Add("section", "is required (e.g. \"Main room\").");
        return (number ?? 0, capacity ?? 0, cleanSection);
    }

    private static ProblemHttpResult NumberTaken(int number) =>
        Problems.Conflict("table_number_taken", $"The restaurant already has a table number {number}.");
}
