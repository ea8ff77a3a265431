using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace RestMan.Gateway.Routing;

/// <summary>
/// The public surface: which path prefix goes to which service. Each prefix is also accepted under <c>/api</c>, as in
/// the seed design. Destinations are logical (<c>http://orders</c>); service discovery resolves them
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
        ("/kitchen", "kitchen"),
        ("/billing", "billing"),
        ("/analytics", "analytics"),
        // The first implementation's menu writes, restaurant in the body.
        ("/categories", "restaurants"),
        ("/foods", "restaurants"),
    ];

    public static IReadOnlyList<RouteConfig> Routes()
    {
        var routes = new List<RouteConfig>();
        foreach (var (prefix, service) in Map)
        {
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
        return routes;
    }

    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(15);

    public static IReadOnlyList<ClusterConfig> Clusters() =>
        Map.Select(m => m.Service).Distinct().Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
            // A service that accepts the connection but never answers (killed behind a proxy, frozen) ends as a 503
            // after this, not after YARP's 100 s default; longer than the services' own 10 s outage ride-through.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout },
        }).ToList();
}
