namespace RestMan.Auth;

/// <summary>Auth's tunables, bound from the "Auth" configuration section; the defaults are the limits clients are promised.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>How long a mailed code can be used.</summary>
    public TimeSpan OtpLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes tolerated for one issued code; the last one voids it.</summary>
    public int OtpMaxAttempts { get; set; } = 5;

    /// <summary>Lifetime of a customer (<c>user</c>) session.</summary>
    public TimeSpan UserSessionLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Lifetime of an owner (<c>rest</c>) or kitchen-staff (<c>kitch</c>) session.</summary>
    public TimeSpan StaffSessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Base64 key for the HMAC that hashes codes at rest. Unset, a key derived from <c>Identity:SigningKey</c> is used,
    /// so a leaked database or Redis dump alone never lets anyone test guesses offline.
    /// </summary>
    public string? OtpHashKey { get; set; }

    /// <summary>Most accounts one deactivate-stale call switches off; the scheduler calls again while there are more.</summary>
    public int DeactivationBatchSize { get; set; } = 500;

    public OtpRateLimits RateLimits { get; set; } = new();

    public TimeSpan SessionLifetimeFor(string role) => role == Roles.Customer ? UserSessionLifetime : StaffSessionLifetime;
}

public sealed class OtpRateLimits
{
    /// <summary>Codes one email address may be sent per window.</summary>
    public RateLimit PerEmail { get; set; } = new() { Limit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Code requests one client address may make per window, whatever the emails.</summary>
    public RateLimit PerClient { get; set; } = new() { Limit = 100, Window = TimeSpan.FromMinutes(1) };
}

public sealed class RateLimit
{
    public int Limit { get; set; }
    public TimeSpan Window { get; set; }
}
