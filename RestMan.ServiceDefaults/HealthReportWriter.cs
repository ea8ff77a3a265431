using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class HealthReportWriter
{
    // Check names are the integrations' own ("PostgreSql", "StackExchange.Redis"): shown as registered, not snake_cased.
    private static readonly JsonSerializerOptions Options = new(Json.Options) { DictionaryKeyPolicy = null };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Options));
    }
}
