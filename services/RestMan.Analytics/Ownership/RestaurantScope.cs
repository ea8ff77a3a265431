using System.Security.Claims;
using RestMan.Identity.Ownership;

namespace RestMan.Analytics.Ownership;

/// <summary>Which restaurants a report may cover: only ever the caller's own.</summary>
public sealed class RestaurantScope(OwnedRestaurantsClient restaurants)
{
    /// <summary>
    /// The requested restaurant when the caller owns it, else every restaurant they own; null when they asked for one
    /// that is not theirs (whether or not it exists, so the answer reveals nothing about other owners).
    /// </summary>
    public async Task<IReadOnlyList<Guid>?> ResolveAsync(ClaimsPrincipal owner, Guid? restaurantId, CancellationToken ct)
    {
        var owned = await restaurants.OwnedByAsync(owner, ct);
        return restaurantId switch
        {
            null => owned,
            { } id when owned.Contains(id) => [id],
            _ => null,
        };
    }
}
