namespace RestMan.Auth.Model;

// Request and response bodies of Auth's endpoints; snake_case on the wire (ServiceDefaults' JSON options).

public sealed record RequestOtpRequest(string? Email, string? Role);

public sealed record RequestOtpResponse(string Message, int ExpiresInSeconds);

public sealed record VerifyOtpRequest(string? Email, string? Code);

public sealed record LoginResponse(string Token, Guid UserId, string Email, string Role, DateTimeOffset ExpiresAt);

public sealed record MeResponse(Guid UserId, string Email, string Role, bool IsActive, Guid? RestaurantId, DateTimeOffset? SessionExpiresAt);

public sealed record AddStaffRequest(string? Email, Guid? RestaurantId);

public sealed record StaffMember(Guid UserId, string Email, Guid RestaurantId);

public sealed record StaffListItem(Guid UserId, string Email, Guid RestaurantId, bool IsActive, DateTimeOffset? LastVerifiedAt);

public sealed record DeactivateStaleRequest(DateTimeOffset? VerifiedBefore);

public sealed record DeactivateStaleResponse(IReadOnlyList<Guid> Deactivated, bool HasMore);
