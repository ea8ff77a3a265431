using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace RestMan.Auth.Model;

// Request and response bodies of Auth's endpoints; snake_case on the wire (ServiceDefaults' JSON options).

[OpenApiExample("""{"email": "chef@example.com", "role": "rest"}""")]
public sealed record RequestOtpRequest([property: Required] string? Email, string? Role);

public sealed record RequestOtpResponse(string Message, int ExpiresInSeconds);

/// <param name="Otp">The first implementation's name for <c>code</c>, accepted when <c>code</c> is absent.</param>
[OpenApiExample("""{"email": "chef@example.com", "code": "123456"}""")]
public sealed record VerifyOtpRequest([property: Required] string? Email, [property: Required] string? Code,
    [property: Description("Deprecated: the first implementation's name for `code`, accepted when `code` is absent.")] string? Otp = null);

/// <summary>The first implementation's logout body: the token to end, instead of (or as well as) the Authorization header.</summary>
public sealed record LogoutRequest([property: Description("The session to end (first implementation); the Authorization header works too.")] string? SessionToken);

public sealed record LoginResponse(string Token, Guid UserId, string Email, string Role, DateTimeOffset ExpiresAt)
{
    /// <summary>The first implementation's name for <see cref="Token"/>: the same value.</summary>
    public string SessionToken => Token;
}

public sealed record MeResponse(Guid UserId, string Email, string Role, bool IsActive, Guid? RestaurantId, DateTimeOffset? SessionExpiresAt);

/// <summary>Role: <c>kitch</c> (the default) or <c>waiter</c>.</summary>
public sealed record AddStaffRequest(string? Email, Guid? RestaurantId, string? Role = null);

public sealed record StaffMember(Guid UserId, string Email, Guid RestaurantId, string Role);

public sealed record StaffListItem(Guid UserId, string Email, Guid RestaurantId, bool IsActive, DateTimeOffset? LastVerifiedAt, string Role);

public sealed record DeactivateStaleRequest(DateTimeOffset? VerifiedBefore);

public sealed record DeactivateStaleResponse(IReadOnlyList<Guid> Deactivated, bool HasMore);
