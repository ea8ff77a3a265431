using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace RestMan.Gateway.OpenApi;

/// <summary><c>/openapi/v1.json</c> (the merged public document), <c>/docs</c> (Scalar) and <c>/api/health</c>.</summary>
public static class PublicApiDocsExtensions
{
    public static IServiceCollection AddPublicApiDocs(this IServiceCollection services)
    {
        services.AddHttpClient(PublicApiDocument.HttpClientName);
        services.AddSingleton<PublicApiDocument>();
        return services;
    }

    public static WebApplication MapPublicApiDocs(this WebApplication app)
    {
        app.MapGet("/openapi/v1.json", async (HttpContext context, PublicApiDocument document, CancellationToken ct) =>
                Results.Content(await document.GetAsync($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}", ct), "application/json"))
            .ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("RestMan API")
            .WithOpenApiRoutePattern("/openapi/v1.json")
            .AddPreferredSecuritySchemes([Microsoft.Extensions.Hosting.OpenApiDefaults.BearerScheme])
            .EnablePersistentAuthentication());
        app.MapHealthChecks(GatewayHealth.Path, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        return app;
    }
}
