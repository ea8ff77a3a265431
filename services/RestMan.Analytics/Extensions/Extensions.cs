using RestMan.Analytics.Ingestion;
using RestMan.Analytics.Reports;
using RestMan.Analytics.Schema;
using RestMan.ClickHouse;
using RestMan.Identity.Ownership;

namespace RestMan.Analytics.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddClickHouse("clickhouse");
        // Report queries and batch inserts may outlast the 5 s per-attempt cap, and an INSERT must not be blindly retried.
#pragma warning disable EXTEXP0001 // the library's own way to opt one client out of the defaults' handler
        builder.Services.AddHttpClient<ClickHouseClient>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        // Four lines per INSERT and per query at Information would bury everything else; failures still log.
        builder.Logging.AddFilter("System.Net.Http.HttpClient.ClickHouseClient", LogLevel.Warning);
        // Its consumer, dead letters and lag come from the Messaging library, as do the "kafka" health check and options.
        builder.AddKafkaConsumerFactory("kafka");

        builder.Services.AddOptions<AnalyticsIngestionOptions>()
            .BindConfiguration(AnalyticsIngestionOptions.SectionName)
            .Validate(options => options.MaxBatchSize >= 1, "Analytics:Ingestion:MaxBatchSize must be at least 1.")
            .Validate(options => options.FlushInterval > TimeSpan.Zero && options.FlushInterval <= TimeSpan.FromSeconds(1),
                "Analytics:Ingestion:FlushInterval must be more than 0 and at most 1 second.")
            .Validate(options => options.MaxWriteAttempts >= 1, "Analytics:Ingestion:MaxWriteAttempts must be at least 1.");
        builder.Services.AddSingleton<EventRowMapper>();
        builder.Services.AddSingleton<IngestionTelemetry>();
        builder.Services.AddTransient<AnalyticsWriter>();
        // Registered first: hosted services start in order, so the tables exist before the consumer writes to them.
        builder.Services.AddHostedService<AnalyticsSchemaInitializer>();
        builder.Services.AddHostedService<AnalyticsConsumer>();

        builder.Services.AddOwnedRestaurantsClient();
        builder.Services.AddTransient<TopFoodsReport>();
        builder.Services.AddTransient<RevenueReport>();
        builder.Services.AddTransient<OrdersByStatusReport>();
        builder.Services.AddTransient<FloorReport>();
        builder.Services.AddTransient<PaymentsReport>();
        builder.Services.AddTransient<KitchenDelaysReport>();
        builder.Services.AddTransient<TopModifiersReport>();
    }
}
