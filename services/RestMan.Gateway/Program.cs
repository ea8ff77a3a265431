using Microsoft.AspNetCore.HttpOverrides;
using RestMan.Caching;
using RestMan.Gateway.Caching;
using RestMan.Gateway.OpenApi;
using RestMan.Gateway.Routing;
using RestMan.Gateway.Security;
using RestMan.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// The public door: anonymous callers learn whether RestMan is up, never which dependency failed or why.
builder.Services.Configure<HealthReportOptions>(o => o.Detailed = builder.Environment.IsDevelopment());
builder.AddRedis("redis");
builder.Services.AddSessionCache();
builder.Services.AddClientRateLimiting(builder.Configuration);
// The client is who a trusted proxy (RestMan:TrustedProxies; loopback by default) says it is: the load balancer in front,
// the web app calling on a browser's behalf. Rate limits count it, and the services get it as X-Forwarded-For.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
    options.Trust(builder.Configuration);
});
builder.Services.AddPublicMenuCache();
builder.Services.AddPublicApiDocs();

builder.Services.AddReverseProxy()
    .LoadFromMemory([.. GatewayRoutes.Routes(builder.Environment.IsDevelopment()), .. PublicMenuCache.Routes()], GatewayRoutes.Clusters())
    .AddTransforms(IdentityForwarding.AddIdentitySigning)
    .AddTransforms(GatewayHealth.AddStatusOnly)
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseClientIdentityStripping();
app.UseRateLimiter();
app.UseSessionResolution();
app.UsePublicMenuCache();
app.UseServedByHeader();
app.UseExceptionHandler();
app.UseReadRetryDuringOutages();
app.UseStatusCodePages();
app.UseForwardedIdentity();
app.MapDefaultEndpoints();
app.MapPublicApiDocs();

// Service-to-service endpoints are never public, with or without the /api prefix.
app.Map("/internal/{**rest}", () => Problems.NotFound("The resource"));
app.Map("/api/internal/{**rest}", () => Problems.NotFound("The resource"));
// Development-only endpoints (the dev mailbox) are not even routed elsewhere, whatever a service maps.
if (!app.Environment.IsDevelopment())
{
    foreach (var prefix in GatewayRoutes.DevelopmentOnly)
    {
        app.Map(prefix + "/{**rest}", () => Problems.NotFound("The resource"));
        app.Map("/api" + prefix + "/{**rest}", () => Problems.NotFound("The resource"));
    }
}

app.MapReverseProxy(proxy =>
{
    proxy.UseMiddleware<ForwardingErrors>();
    proxy.Use(SessionGate.ApplyRouteRuleAsync);
    proxy.Use(PublicMenuCache.EvictOnChangeAsync);
    // Innermost: a resend repeats only the forwarding, and the outer steps see its final outcome once.
    proxy.UseMiddleware<ForwardingRetry>();
});

app.Run();
