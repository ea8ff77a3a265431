using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Whether <c>/health</c> names each check and its error. On a service's own port it does (the orchestrator and
/// operators read it); a public door — the gateway outside Development — answers the status alone.
/// </summary>
public sealed class HealthReportOptions
{
    public bool Detailed { get; set; } = true;
}

public static class HealthReportWriter
{
    // Check names are the integrations' own ("PostgreSql", "StackExchange.Redis"): shown as registered, not snake_cased.
    private static readonly JsonSerializerOptions Options = new(Json.Options) { DictionaryKeyPolicy = null };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (context.RequestServices.GetService<IOptions<HealthReportOptions>>()?.Value.Detailed == false)
            return context.Response.WriteAsync(StatusOnly(report.Status.ToString()));
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

    /// <summary>The anonymous answer: <c>{"status":"Healthy"}</c>, nothing about which dependency failed or why.</summary>
    public static string StatusOnly(string status) => JsonSerializer.Serialize(new { status }, Options);
}
