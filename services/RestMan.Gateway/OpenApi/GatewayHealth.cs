using System.Text.Json.Nodes;
using Yarp.ReverseProxy.Configuration;

namespace RestMan.Gateway.OpenApi;

/// <summary>
/// The first implementation's health checks through the gateway: <c>/api/health</c> (the gateway's own) and
/// <c>/api/&lt;service&gt;/health</c>, proxied to that service's <c>/health</c>.
/// </summary>
public static class GatewayHealth
{
    public const string Path = "/api/health";
    public static readonly IReadOnlyList<string> Services = ["auth", "restaurants", "orders", "kitchen", "billing", "analytics"];

    public static IReadOnlyList<RouteConfig> Routes() => Services.Select(service => new RouteConfig
    {
        RouteId = $"api-{service}-health",
        ClusterId = service,
        Match = new RouteMatch { Path = $"/api/{service}/health", Methods = ["GET"] },
        Transforms = [new Dictionary<string, string> { ["PathSet"] = "/health" }],
    }).ToList();

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
                ["200"] = Health("Healthy: `{status, checks}`."),
                ["503"] = Health("A dependency is unreachable; `checks` says which."),
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
