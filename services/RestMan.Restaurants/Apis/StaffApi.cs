using System.Net;
using System.Security.Claims;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;
using RestMan.Restaurants.Services;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// Staff of a restaurant (kitchen staff and waiters), managed by its owner. Accounts and sessions are Auth's: this service checks that the
/// caller owns the restaurant and asks Auth's internal staff endpoint to create, bind, list or unbind the account.
/// </summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/restaurants/{restaurantId:guid}/staff").RequireAuthorization(Roles.Owner);

        api.MapPost("", AddStaffAsync).Produces<StaffMember>(StatusCodes.Status201Created);
        api.MapGet("", ListStaffAsync).Produces<List<StaffListItem>>();
        api.MapDelete("/{userId:guid}", RemoveStaffAsync).Produces(StatusCodes.Status204NoContent);

        return api;
    }

    /// <summary>201 for a new staff account (role <c>kitch</c> by default, or <c>waiter</c>), 200 when the address already was this restaurant's staff; 409 for any other account.</summary>
    public static async Task<IResult> AddStaffAsync(
        Guid restaurantId, AddStaffRequest request, ClaimsPrincipal user, RestaurantRepository restaurants, AuthStaffClient auth, CancellationToken ct)
    {
        var (_, denied) = await restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;
        // Auth decides what a valid address and role are and answers a 400 naming the field, which is passed on.
        if (string.IsNullOrWhiteSpace(request.Email)) return Problems.Validation("email", "is required.");

        var answer = await auth.AddAsync(request.Email, restaurantId, request.Role, ct);
        if (answer.Problem is not null) return answer.Problem;
        return answer.Status == HttpStatusCode.Created
            ? TypedResults.Created($"/restaurants/{restaurantId}/staff", answer.Value)
            : TypedResults.Ok(answer.Value);
    }

    public static async Task<IResult> ListStaffAsync(
        Guid restaurantId, ClaimsPrincipal user, RestaurantRepository restaurants, AuthStaffClient auth, CancellationToken ct)
    {
        var (_, denied) = await restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var answer = await auth.ListAsync(restaurantId, ct);
        return answer.Problem ?? TypedResults.Ok(answer.Value ?? []);
    }

    /// <summary>Unbinds the account from the restaurant; Auth ends every session it has at once.</summary>
    public static async Task<IResult> RemoveStaffAsync(
        Guid restaurantId, Guid userId, ClaimsPrincipal user, RestaurantRepository restaurants, AuthStaffClient auth, CancellationToken ct)
    {
        var (_, denied) = await restaurants.OwnedAsync(restaurantId, user, ct);
        if (denied is not null) return denied;

        var answer = await auth.RemoveAsync(userId, restaurantId, ct);
        return answer.Problem ?? TypedResults.NoContent();
    }
}
