using RestMan.Caching;
using RestMan.Gateway.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis("redis");

builder.Services.AddReverseProxy()
    .LoadFromMemory(GatewayRoutes.Routes(), GatewayRoutes.Clusters(new ServiceEndpointResolver(builder.Configuration)));

var app = builder.Build();

app.MapDefaultEndpoints();

// Service-to-service endpoints are never public, with or without the /api prefix.
app.Map("/internal/{**rest}", () => Problems.NotFound("The resource"));
app.Map("/api/internal/{**rest}", () => Problems.NotFound("The resource"));

app.MapReverseProxy();

app.Run();
