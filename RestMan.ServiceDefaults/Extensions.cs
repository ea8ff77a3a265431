using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Http.Resilience;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// What every RestMan service shares: telemetry, health, service discovery, resilience, problem+json, snake_case JSON.
public static class Extensions
{
    private const string LiveTag = "live";
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options =>
                {
                    // Our calls are small and internal: fail within seconds, and never repeat a POST or PATCH.
                    options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(20);
                    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                    options.Retry.DisableForUnsafeHttpMethods();
                })
                // A failing service opens the breaker for itself only.
                .SelectPipelineByAuthority();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options => Json.Configure(options.SerializerOptions));

        // Bodies are small JSON documents; anything bigger is a mistake or an attack.
        builder.Services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = 256 * 1024);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddForwardedIdentity();
        builder.Services.AddTransient<ServiceIdentityHandler>();
        builder.Services.AddDefaultOpenApi();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Npgsql logs every command at Information: useful in a trace, noise in a console.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Npgsql and Redis instrumentation come with their Aspire client integrations (AddNpgsqlDataSource, AddRedisClient).
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Telemetry.SourcePrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, Telemetry.SourcePrefix + "*")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath)
                                                   && !context.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Set by the AppHost (dashboard) or by a deployment; without it nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Names the service in an <c>X-Served-By</c> header on every answer, so operators and tests see where the gateway
    /// sent a request. First in the pipeline: the header is added as the response starts, so a proxied answer keeps
    /// the name of the service that really produced it.
    /// </summary>
    public static IApplicationBuilder UseServedByHeader(this WebApplication app)
    {
        var serviceName = app.Configuration["OTEL_SERVICE_NAME"] ?? app.Environment.ApplicationName;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.TryAdd("X-Served-By", serviceName);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary><c>/health</c>: every dependency reachable. <c>/alive</c>: the process answers.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return app;
    }
}

public static class Json
{
    /// <summary>snake_case everywhere, as the published API; enums as snake_case strings.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}

public static class Telemetry
{
    /// <summary>Every RestMan ActivitySource and Meter starts with this, so the defaults pick them all up.</summary>
    public const string SourcePrefix = "RestMan.";
}
