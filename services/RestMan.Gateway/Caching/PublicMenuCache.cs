using Microsoft.AspNetCore.OutputCaching;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace RestMan.Gateway.Caching;

/// <summary>
/// The public menu, the most read page, answered from the gateway's memory for every reader, signed in or not: no hop
/// to the Restaurants service. Only an answer the service marks <c>Cache-Control: public</c> (the same for everyone:
/// an active restaurant's menu) is kept, so what one caller may see is never served to another. A change to a restaurant made through this gateway evicts its menu at once; other gateway
/// instances see it within <see cref="Freshness"/>, which also bounds what a read racing a change may keep.
/// </summary>
public static class PublicMenuCache
{
    public const string Policy = "public-menu";
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private const string AllMenus = "menu";
    private const string ProxiedItem = "restman.proxied";
    private const string CacheHeader = "X-Cache";

    public static IServiceCollection AddPublicMenuCache(this IServiceCollection services) =>
        services.AddOutputCache(options => options.AddPolicy(Policy, new MenuPolicy()))
            .AddHostedService<MenuChangeListener>();

    /// <summary>GET of <c>/restaurants/{id}/menu</c> (and under /api): more specific than the restaurants catch-all.</summary>
    public static IEnumerable<RouteConfig> Routes() =>
        from prefix in new[] { "", "/api" }
        select new RouteConfig
        {
            RouteId = (prefix + "-menu").TrimStart('-', '/'),
            ClusterId = "restaurants",
            OutputCachePolicy = Policy,
            Match = new RouteMatch { Path = prefix + "/restaurants/{id:guid}/menu", Methods = ["GET", "HEAD"] },
            Transforms = prefix.Length == 0 ? null : [new Dictionary<string, string> { ["PathRemovePrefix"] = prefix }],
        };

    /// <summary>Serves cached menus; a menu served from here says <c>X-Cache: HIT</c>, as the service's own cache does.</summary>
    public static IApplicationBuilder UsePublicMenuCache(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Items.ContainsKey(ProxiedItem) && context.Response.Headers.ContainsKey(CacheHeader))
                    context.Response.Headers[CacheHeader] = "HIT";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app.UseOutputCache();
    }

    /// <summary>In the proxy pipeline: marks proxied answers, and evicts a restaurant's menu once a change to it succeeded.</summary>
    public static async Task EvictOnChangeAsync(HttpContext context, Func<Task> next)
    {
        context.Items[ProxiedItem] = true;
        await next();

        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || context.Response.StatusCode >= 400) return;
        if (context.Features.Get<IReverseProxyFeature>()?.Route.Config.ClusterId != "restaurants") return;
        var store = context.RequestServices.GetRequiredService<IOutputCacheStore>();
        // A change whose path names no restaurant (e.g. a body carrying restaurant_id) may touch any menu.
        await store.EvictByTagAsync(RestaurantIn(context.Request.Path) is { } id ? Tag(id) : AllMenus, CancellationToken.None);
    }

    /// <summary>Drops a menu the Restaurants service says changed, whichever gateway (or event) changed it.</summary>
    private sealed class MenuChangeListener(StackExchange.Redis.IConnectionMultiplexer redis, IOutputCacheStore store, ILogger<MenuChangeListener> logger)
        : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await RestMan.Caching.MenuChanges.SubscribeAsync(redis, id => store.EvictByTagAsync(Tag(id), CancellationToken.None).AsTask());
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Menu changes are not heard from Redis; cached menus expire after {Freshness}", Freshness);
            }
        }
    }

    private static string Tag(Guid restaurantId) => $"menu:{restaurantId}";

    private static Guid? RestaurantIn(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = segments.Length > 0 && segments[0] == "api" ? 1 : 0;
        return segments.Length > at + 1 && segments[at] == "restaurants" && Guid.TryParse(segments[at + 1], out var id) ? id : null;
    }

    /// <summary>
    /// GET/HEAD by anyone (the session was checked before the cache); stored only for 200 answers marked public,
    /// tagged by restaurant.
    /// </summary>
    private sealed class MenuPolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var request = context.HttpContext.Request;
            var cacheable = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true; // many readers of a cold menu wait for one fetch
            context.ResponseExpirationTimeSpan = Freshness;
            // The allergen and diet filters shape the answer; any other query key does not (and must not grow the cache).
            context.CacheVaryByRules.QueryKeys = new Microsoft.Extensions.Primitives.StringValues(["without", "diet"]);
            context.Tags.Add(AllMenus);
            if (RestaurantIn(request.Path) is { } id) context.Tags.Add(Tag(id));
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            var sameForEveryone = response.Headers.CacheControl.ToString().Contains("public", StringComparison.OrdinalIgnoreCase);
            if (response.StatusCode != StatusCodes.Status200OK || !sameForEveryone || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
    }
}
