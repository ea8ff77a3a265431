using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace RestMan.Gateway.Routing;

/// <summary>
/// The public surface: which path prefix goes to which service. Each prefix is also accepted under <c>/api</c>, where
/// the first implementation's clients call it. Destinations are logical (<c>http://orders</c>); service discovery resolves them
/// (<c>services:orders:http:0</c>).
/// </summary>
public static class GatewayRoutes
{
    public static readonly IReadOnlyList<(string Prefix, string Service)> Map =
    [
        ("/auth", "auth"),
        ("/dev", "auth"),
        ("/restaurants", "restaurants"),
        ("/orders", "orders"),
        ("/tables", "orders"),
        ("/reservations", "orders"),
        ("/kitchen", "kitchen"),
        ("/billing", "billing"),
        ("/payments", "billing"),
        ("/analytics", "analytics"),
        ("/inventory", "inventory"),
        // The first implementation's menu writes, restaurant in the body.
        ("/categories", "restaurants"),
        ("/foods", "restaurants"),
    ];

    /// <summary>The web app (RestMan.Web) answers every path no API route takes: pages, <c>/_blazor</c>, <c>/_framework</c>, assets.</summary>
    public const string WebApp = "web";

    /// <summary>Prefixes routed only in Development (the dev mailbox); elsewhere the gateway answers them 404 itself.</summary>
    public static readonly IReadOnlyList<string> DevelopmentOnly = ["/dev"];

    public static IReadOnlyList<RouteConfig> Routes(bool development)
    {
        var routes = new List<RouteConfig>();
        foreach (var (prefix, service) in Map)
        {
            if (!development && DevelopmentOnly.Contains(prefix)) continue;
            var name = prefix.Trim('/');
            routes.Add(new RouteConfig
            {
                RouteId = name,
                ClusterId = service,
                Match = new RouteMatch { Path = prefix + "/{**rest}" },
            });
            routes.Add(new RouteConfig
            {
                RouteId = "api-" + name,
                ClusterId = service,
                Match = new RouteMatch { Path = "/api" + prefix + "/{**rest}" },
                Transforms = [new Dictionary<string, string> { ["PathRemovePrefix"] = "/api" }],
            });
        }
        routes.AddRange(OpenApi.GatewayHealth.Routes());
        routes.Add(new RouteConfig
        {
            RouteId = WebApp,
            ClusterId = WebApp,
            // After every API route and the gateway's own endpoints; WebSockets (Blazor's circuit) pass through as is.
            Order = 1000,
            Match = new RouteMatch { Path = "/{**page}" },
            // Pages and assets are not API calls: the per-address API budget does not apply (the web app's own API calls still count).
            RateLimiterPolicy = "Disable",
        });
        return routes;
    }

    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(15);

    public static IReadOnlyList<ClusterConfig> Clusters() =>
        Map.Select(m => m.Service).Append(WebApp).Distinct().Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
            // A service that accepts the connection but never answers (killed behind a proxy, frozen) ends as a 503
            // after this, not after YARP's 100 s default; longer than the services' own 10 s outage ride-through.
            // Not the web app: Blazor's circuit is a WebSocket that idles between keep-alive pings.
            HttpRequest = service == WebApp ? null : new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout },
        }).ToList();
}
