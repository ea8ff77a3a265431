using RestMan.Auth.Infrastructure;
using RestMan.Auth.Otp;
using RestMan.Caching;
using RestMan.Data;
using RestMan.Email;
using RestMan.Identity;

namespace RestMan.Auth.Extensions;

internal static class Extensions
{
    public const string Schema = "auth";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddRedis("redis");
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);

        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.OtpLifetime > TimeSpan.Zero && o.UserSessionLifetime > TimeSpan.Zero && o.StaffSessionLifetime > TimeSpan.Zero,
                "Auth: OtpLifetime, UserSessionLifetime and StaffSessionLifetime must be positive.")
            .Validate(o => o.OtpMaxAttempts >= 1 && o.DeactivationBatchSize >= 1,
                "Auth: OtpMaxAttempts and DeactivationBatchSize must be at least 1.")
            .Validate(o => o.RateLimits.PerEmail is { Limit: >= 1, Window.Ticks: > 0 } && o.RateLimits.PerClient is { Limit: >= 1, Window.Ticks: > 0 },
                "Auth:RateLimits: every limit needs Limit >= 1 and a positive Window.")
            .ValidateOnStart();

        builder.Services.AddSessionStore();
        builder.Services.AddSingleton<OtpHasher>();
        builder.Services.AddSingleton<OtpStore>();
        builder.Services.AddSingleton<OtpRateLimiter>();
        builder.Services.AddSingleton<UserRepository>();
        builder.Services.AddSingleton<OtpAuditRepository>();

        builder.AddEmail();
    }

    /// <summary>Fails at start-up, not at the first login, when codes could not be hashed or mailed.</summary>
    public static void CheckConfiguration(this WebApplication app)
    {
        app.Services.GetRequiredService<OtpHasher>();
        app.Services.GetRequiredService<IEmailSender>();
    }
}
