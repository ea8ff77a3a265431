namespace RestMan.Messaging.IntegrationEvents;

/// <summary>A user verified an OTP and got a session. Topic <c>user.events</c>, key: user id.</summary>
public sealed record UserLoginSucceeded(Guid UserId, string Email, string Role, DateTimeOffset LoginAt) : IIntegrationEvent<UserLoginSucceeded>
{
    public static string EventType => "user.login_success";
}

/// <summary>The scheduler deactivated an idle customer account. Topic <c>user.events</c>, key: user id.</summary>
public sealed record UserDeactivated(Guid UserId, string Email, DateTimeOffset DeactivatedAt) : IIntegrationEvent<UserDeactivated>
{
    public static string EventType => "user.deactivated";
}
