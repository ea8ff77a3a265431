using Microsoft.Extensions.Options;
using RestMan.Email;
using RestMan.Auth.Infrastructure;
using RestMan.Auth.Otp;
using RestMan.Identity;
using RestMan.Data;

namespace RestMan.Auth.Apis;

/// <summary>What Auth's endpoints need, bound with [AsParameters].</summary>
public sealed class AuthServices(
    Database database,
    UserRepository users,
    OtpAuditRepository otpAudit,
    OtpStore otps,
    OtpRateLimiter rateLimiter,
    SessionStore sessions,
    IEmailSender email,
    IOptions<AuthOptions> options,
    TimeProvider clock,
    ILogger<AuthServices> logger)
{
    public Database Database { get; } = database;
    public UserRepository Users { get; } = users;
    public OtpAuditRepository OtpAudit { get; } = otpAudit;
    public OtpStore Otps { get; } = otps;
    public OtpRateLimiter RateLimiter { get; } = rateLimiter;
    public SessionStore Sessions { get; } = sessions;
    public IEmailSender Email { get; } = email;
    public IOptions<AuthOptions> Options { get; } = options;
    public TimeProvider Clock { get; } = clock;
    public ILogger<AuthServices> Logger { get; } = logger;
}
