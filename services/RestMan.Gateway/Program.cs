using RestMan.Caching;
using RestMan.Gateway.Caching;
using RestMan.Gateway.OpenApi;
using RestMan.Gateway.Routing;
using RestMan.Gateway.Security;
using RestMan.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis("redis");
builder.Services.AddSessionStore();
builder.Services.AddClientRateLimiting(builder.Configuration);
builder.Services.AddPublicMenuCache();
builder.Services.AddPublicApiDocs();

builder.Services.AddReverseProxy()
    .LoadFromMemory([.. GatewayRoutes.Routes(), .. PublicMenuCache.Routes()], GatewayRoutes.Clusters())
    .AddTransforms(IdentityForwarding.AddIdentitySigning)
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.UseClientIdentityStripping();
app.UseRateLimiter();
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

app.MapReverseProxy(proxy =>
{
    proxy.UseMiddleware<ForwardingErrors>();
    proxy.UseMiddleware<SessionGate>();
    proxy.Use(PublicMenuCache.EvictOnChangeAsync);
});

app.Run();
