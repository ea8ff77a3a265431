using System.Security.Claims;
using Microsoft.Extensions.Hosting;

namespace RestMan.Identity.Ownership;

/// <summary>
/// The one rule for "which restaurants may this caller see", in every service: an owner the restaurants they own,
/// kitchen staff and waiters the one they work for, nobody else any. A restaurant named that the caller may not see is not found
/// (404), whether or not it exists, so the answer reveals nothing about other owners.
/// </summary>
public sealed class RestaurantScope(OwnedRestaurantsClient owned)
{
    public async Task<IReadOnlyList<Guid>> VisibleAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.IsInRole(Roles.KitchenStaff) || user.IsInRole(Roles.Waiter)) return user.RestaurantId() is { } own ? [own] : [];
        return await owned.OwnedByAsync(user, ct);
    }

    /// <summary>The named restaurant when the caller may see it, else every one they may see; null for one they may not.</summary>
    public async Task<IReadOnlyList<Guid>?> ResolveAsync(ClaimsPrincipal user, Guid? restaurantId, CancellationToken ct)
    {
        var visible = await VisibleAsync(user, ct);
        return restaurantId switch
        {
            null => visible,
            { } id when visible.Contains(id) => [id],
            _ => null,
        };
    }

    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, Guid restaurantId, CancellationToken ct) =>
        (await VisibleAsync(user, ct)).Contains(restaurantId);

    /// <summary>
    /// Whether the caller may see (and act on) something of restaurant <paramref name="restaurantId"/> that belongs to
    /// customer <paramref name="customerId"/> — an order, its bill: a customer only their own, everyone else by
    /// <see cref="CanSeeAsync"/>. Anything else is not found (404) to them.
    /// </summary>
    public async Task<bool> CanSeeCustomersAsync(ClaimsPrincipal user, Guid restaurantId, Guid customerId, CancellationToken ct) =>
        user.IsInRole(Roles.Customer) ? customerId == user.UserId() : await CanSeeAsync(user, restaurantId, ct);
}
