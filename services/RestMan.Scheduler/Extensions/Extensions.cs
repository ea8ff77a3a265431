using RestMan.Data;
using RestMan.Scheduler.Infrastructure;
using RestMan.Scheduler.Jobs;
using RestMan.Scheduler.Services;

namespace RestMan.Scheduler.Extensions;

internal static class Extensions
{
    public const string Schema = "scheduler";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Its own database only: Redis and Kafka are Auth's business, reached through Auth's internal API.
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);

        builder.Services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.SectionName)
            .Validate(o => o.Interval >= TimeSpan.FromMilliseconds(100) && o.InactiveAfter > TimeSpan.Zero && o.JobRunRetention > TimeSpan.Zero,
                "Scheduler: Interval must be at least 100 ms; InactiveAfter and JobRunRetention must be positive.")
            .ValidateOnStart();

        builder.Services.AddSingleton<JobRunRepository>();
        builder.Services.AddHttpClient<AuthClient>(http => http.BaseAddress = new Uri("http://auth"))
            .AddHttpMessageHandler<ServiceIdentityHandler>();
        builder.Services.AddHostedService<DeactivateStaleUsersJob>();
    }
}
