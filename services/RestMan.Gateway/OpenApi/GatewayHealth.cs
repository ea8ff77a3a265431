using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace RestMan.Gateway.OpenApi;

/// <summary>
/// The first implementation's health checks through the gateway: <c>/api/health</c> (the gateway's own) and
/// <c>/api/&lt;service&gt;/health</c>, proxied to that service's <c>/health</c>. Outside Development both answer the
/// status alone (<see cref="HealthReportOptions"/>); the detail stays on each service's own port.
/// </summary>
public static class GatewayHealth
{
    public const string Path = "/api/health";
    public static readonly IReadOnlyList<string> Services = ["auth", "restaurants", "orders", "kitchen", "billing", "analytics", "inventory"];

    public static IReadOnlyList<RouteConfig> Routes() => Services.Select(service => new RouteConfig
    {
        RouteId = $"api-{service}-health",
        ClusterId = service,
        Match = new RouteMatch { Path = $"/api/{service}/health", Methods = ["GET"] },
        Transforms = [new Dictionary<string, string> { ["PathSet"] = "/health" }],
        Metadata = new Dictionary<string, string> { [ServiceHealthMetadata] = service },
    }).ToList();

    private const string ServiceHealthMetadata = "restman-service-health";

    /// <summary>A service's report reaches anonymous callers as its status only, like the gateway's own <c>/health</c>.</summary>
    public static void AddStatusOnly(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.ContainsKey(ServiceHealthMetadata) != true) return;
        if (context.Services.GetRequiredService<IOptions<HealthReportOptions>>().Value.Detailed) return;
        context.AddResponseTransform(async transform =>
        {
            if (transform.ProxyResponse is not { } upstream) return;
            var status = await ReadStatusAsync(upstream, transform.CancellationToken);
            transform.SuppressResponseBody = true;
            var response = transform.HttpContext.Response;
            response.ContentLength = null;
            response.ContentType = "application/json";
            await response.WriteAsync(HealthReportWriter.StatusOnly(status), transform.CancellationToken);
        });
    }

    private static async Task<string> ReadStatusAsync(HttpResponseMessage upstream, CancellationToken ct)
    {
        try
        {
            using var report = JsonDocument.Parse(await upstream.Content.ReadAsStringAsync(ct));
            if (report.RootElement.TryGetProperty("status", out var status) && status.GetString() is { Length: > 0 } text) return text;
        }
        catch (JsonException)
        {
        }
        // Not a health report (a proxy's error page, say): the status code still says enough.
        return upstream.IsSuccessStatusCode ? "Healthy" : "Unhealthy";
    }

    /// <summary>Documents these routes (and the gateway's <c>/health</c>) in the merged document.</summary>
    public static void AddTo(JsonObject paths)
    {
        paths["/health"] = Operation("Gateway readiness: every dependency of the gateway reachable.", deprecated: false);
        paths[Path] = Operation("The gateway's readiness (first implementation's path; prefer `/health`).", deprecated: true);
        foreach (var service in Services)
            paths[$"/api/{service}/health"] = Operation($"Readiness of the {service} service, through the gateway (first implementation).", deprecated: true);
    }

    private static JsonObject Operation(string summary, bool deprecated)
    {
        var get = new JsonObject
        {
            ["tags"] = new JsonArray(deprecated ? Microsoft.Extensions.Hosting.OpenApiDefaults.CompatibilityTag : "Health"),
            ["summary"] = summary,
            ["responses"] = new JsonObject
            {
                ["200"] = Health("Healthy: `{status}` (`checks` too, in Development only)."),
                ["503"] = Health("A dependency is unreachable; the detail is on the service's own port, not here."),
            },
        };
        if (deprecated) get["deprecated"] = true;
        return new JsonObject { ["get"] = get };
    }

    private static JsonObject Health(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["status"] = new JsonObject { ["type"] = "string", ["examples"] = new JsonArray("Healthy") },
                        ["checks"] = new JsonObject { ["type"] = "object" },
                    },
                },
            },
        },
    };
}
