using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Apis;

/// <summary>
/// Who may see and who may change a restaurant. The rule, everywhere: what the caller may not even see answers 404,
/// what they may see but not change answers 403. An active restaurant and its menu are public, so hiding them behind
/// a 404 would protect nothing and only mislead the other owner; an inactive one is seen by its owner alone, so to
/// everyone else it does not exist.
/// </summary>
public static class Ownership
{
    public static bool IsOwner(this ClaimsPrincipal user, Guid ownerUserId) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Owner) && user.UserId() == ownerUserId;

    public static bool CanSee(this ClaimsPrincipal user, Guid ownerUserId, bool isActive) => isActive || user.IsOwner(ownerUserId);

    /// <summary>The restaurant when <paramref name="user"/> owns it; otherwise the 404 or 403 to answer.</summary>
    public static async Task<(Restaurant? Restaurant, ProblemHttpResult? Denied)> OwnedAsync(
        this RestaurantRepository restaurants, Guid restaurantId, ClaimsPrincipal user, CancellationToken ct)
    {
        var restaurant = await restaurants.FindAsync(restaurantId, ct);
        if (restaurant is null || !user.CanSee(restaurant.OwnerUserId, restaurant.IsActive))
            return (null, Problems.NotFound("The restaurant"));
        if (!user.IsOwner(restaurant.OwnerUserId))
            return (null, Problems.Forbidden("Only the restaurant's owner may change it."));
        return (restaurant, null);
    }
}
