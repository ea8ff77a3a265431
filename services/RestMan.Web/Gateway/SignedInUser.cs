using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace RestMan.Web.Gateway;

/// <summary>Who is using this page (request or circuit), read from the encrypted session cookie's claims.</summary>
public sealed class SignedInUser(AuthenticationStateProvider authentication)
{
    public const string TokenClaim = "restman:token";
    public const string RestaurantClaim = "restman:restaurant";

    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string?> TokenAsync() => (await PrincipalAsync()).FindFirstValue(TokenClaim);

    /// <summary>A kitchen account's restaurant (from <c>/auth/me</c> at sign-in).</summary>
    public async Task<Guid?> RestaurantAsync() =>
        Guid.TryParse((await PrincipalAsync()).FindFirstValue(RestaurantClaim), out var id) ? id : null;
}
