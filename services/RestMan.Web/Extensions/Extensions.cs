using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using RestMan.Web.Gateway;
using RestMan.Web.Live;

namespace RestMan.Web.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();

        // The gateway is the only caller: its X-Forwarded-For/Host/Proto are what the browser used (its address for the
        // API calls made on its behalf, redirects, base URI) — believed from trusted proxies only (RestMan:TrustedProxies).
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.Trust(builder.Configuration);
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<BrowserAddress>();

        // BFF: the API token lives only in this encrypted, HttpOnly cookie; the browser never sees it. Every replica reads
        // every other's cookies, anti-forgery tokens and circuit descriptors: the key ring is shared in Redis, encrypted.
        builder.AddSharedKeyRing();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "restman.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/sign-in";
                options.AccessDeniedPath = "/not-for-you";
                options.ReturnUrlParameter = "returnUrl";
            });

        builder.Services.AddHttpClient<RestManApi>(client => client.BaseAddress = new Uri(builder.Configuration["Web:GatewayUrl"] ?? "http://gateway"));
        builder.Services.AddScoped<SignedInUser>();

        // Its own consumer group on order and bill events, fanned out in-process to the screens that watch them.
        builder.AddKafkaConsumerFactory("kafka");
        builder.Services.AddSingleton<LiveOrders>();
        builder.Services.AddHostedService<OrderEventsListener>();
    }

    /// <summary>
    /// Pages know people by their session cookie. The identity the gateway signs for API services (sent when a client
    /// calls / with a bearer token) means nothing here and must not be challenged: it is dropped.
    /// </summary>
    public static void IgnoreForwardedIdentity(this WebApplication app) => app.Use((context, next) =>
    {
        foreach (var header in IdentityHeaders.All) context.Request.Headers.Remove(header);
        return next(context);
    });
}
