using RestMan.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestMan.Auth.Infrastructure;
using RestMan.Auth.Model;
using RestMan.Data;

namespace RestMan.Auth.Apis;

/// <summary>
/// Staff accounts (kitchen staff and waiters), managed by the Restaurants service on an owner's behalf. Internal: the gateway never routes
/// <c>/internal</c>, and only a signed service identity gets in.
/// </summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/staff").RequireAuthorization(Roles.Service);

        api.MapPost("", AddStaffAsync);
        api.MapGet("", ListStaffAsync);
        api.MapDelete("/{userId:guid}", RemoveStaffAsync);

        return api;
    }

    /// <summary>
    /// Creates a <c>kitch</c> or <c>waiter</c> account bound to the restaurant, or binds an existing unbound one. 201 when created, 200
    /// when it already was (or now is) that restaurant's; 409 for a customer or owner account, another restaurant's staff, or
    /// staff of the other role.
    /// </summary>
    public static async Task<Results<Created<StaffMember>, Ok<StaffMember>, ProblemHttpResult>> AddStaffAsync(
        AddStaffRequest request, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var (email, emailError) = EmailAddress.Normalize(request.Email);
        if (emailError is not null) rules.Add("email", emailError);
        if (request.RestaurantId is not { } restaurantId || restaurantId == Guid.Empty) rules.Add("restaurant_id", "is required.");
        var role = string.IsNullOrWhiteSpace(request.Role) ? Roles.KitchenStaff : request.Role.Trim().ToLowerInvariant();
        if (!Roles.IsStaff(role)) rules.Add("role", $"must be '{Roles.KitchenStaff}' (kitchen staff) or '{Roles.Waiter}'.");
        if (!rules.IsValid) return Problems.Validation(rules.Errors);

        var rid = request.RestaurantId!.Value;
        var now = services.Clock.GetUtcNow();
        // Two first-time binds of one email race on its unique key; the loser runs again and finds the winner's row.
        var binding = await services.Database.InTransactionAsync<StaffBinding>(TransactionRetryPolicy.LookThenInsert, async tx =>
        {
            var existing = await services.Users.FindByEmailAsync(tx, email!, ct);
            if (existing is null) return new StaffBinding.Created(await services.Users.InsertStaffAsync(tx, email!, role, rid, now, ct));
            if (!Roles.IsStaff(existing.Role)) return new StaffBinding.NotStaff();
            if (existing.Role != role) return new StaffBinding.OtherRole(existing.Role);
            if (existing.RestaurantId is { } bound && bound != rid) return new StaffBinding.OtherRestaurant();
            return new StaffBinding.Bound(existing.RestaurantId == rid ? existing : await services.Users.BindStaffAsync(tx, existing.Id, rid, now, ct));
        }, ct);
        return binding switch
        {
            StaffBinding.Created created => TypedResults.Created($"/internal/staff/{created.Account.Id}", ToStaffMember(created.Account)),
            StaffBinding.Bound bound => TypedResults.Ok(ToStaffMember(bound.Account)),
            StaffBinding.NotStaff => Problems.Conflict("account_not_staff", "This email belongs to a customer or owner account; it cannot become staff."),
            StaffBinding.OtherRole other => Problems.Conflict("staff_role_differs", $"This staff account already has the role '{other.Role}'."),
            _ => Problems.Conflict("staff_of_another_restaurant", "This kitchen staff account belongs to another restaurant."),
        };
    }

    public static async Task<Results<Ok<List<StaffListItem>>, ProblemHttpResult>> ListStaffAsync(
        [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var rid = rules.RequiredId(restaurantId, "restaurant_id", "a restaurant id");
        if (rid is null) return Problems.Validation(rules.Errors);
        var staff = await services.Users.ListStaffAsync(rid.Value, ct);
        return TypedResults.Ok(staff.Select(a => new StaffListItem(a.Id, a.Email, rid.Value, a.IsActive, a.LastVerifiedAt, a.Role)).ToList());
    }

    /// <summary>Unbinds the account from the restaurant, deactivates it and ends every session it has.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveStaffAsync(
        Guid userId, [FromQuery(Name = "restaurant_id")] string? restaurantId, [AsParameters] AuthServices services, CancellationToken ct)
    {
        var rules = new InputRules();
        var rid = rules.RequiredId(restaurantId, "restaurant_id", "a restaurant id");
        if (rid is null) return Problems.Validation(rules.Errors);
        if (!await services.Users.UnbindStaffAsync(userId, rid.Value, services.Clock.GetUtcNow(), ct))
            return Problems.NotFound("The restaurant's staff member");
        await services.Sessions.RevokeAllAsync(userId);
        return TypedResults.NoContent();
    }

    private static StaffMember ToStaffMember(Account account) => new(account.Id, account.Email, account.RestaurantId!.Value, account.Role);

    /// <summary>How binding an email to a restaurant's kitchen ended.</summary>
    private abstract record StaffBinding
    {
        public sealed record Created(Account Account) : StaffBinding;
        public sealed record Bound(Account Account) : StaffBinding;
        public sealed record NotStaff : StaffBinding;
        public sealed record OtherRole(string Role) : StaffBinding;
        public sealed record OtherRestaurant : StaffBinding;
    }
}
