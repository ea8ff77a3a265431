namespace RestMan.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ApplicationCollection : ICollectionFixture<ApplicationFixture>
{
    public const string Name = "application";
}

/// <summary>
/// The whole RestMan graph, started once for every whole-application test through Aspire's testing builder, with its
/// own infrastructure on random ports and throwaway data.
/// </summary>
public sealed class ApplicationFixture : IAsyncLifetime
{
    public TestGraph App { get; private set; } = null!;

    /// <summary>A new client of the public entry point (each test its own, so headers never leak between tests).</summary>
    public HttpClient CreateGatewayClient() => App.CreateHttpClient("gateway");

    // Every test comes from 127.0.0.1: one shared per-client budget (OTPs, the gateway's requests per minute) would
    // throttle the suite, not a client. The fault stream and the fuzz run send thousands of requests a minute.
    public async Task InitializeAsync() => App = await TestGraph.StartAsync(o =>
    {
        o.Configuration["Services:auth:Environment:Auth__RateLimits__PerClient__Limit"] = "10000";
        o.Configuration["Services:gateway:Environment:Gateway__RateLimit__PermitsPerMinute"] = "1000000";
    });

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>The flows (OrderingFlow, RestaurantsFlow...) over a graph a test class started itself; it disposes the graph.</summary>
    public static ApplicationFixture Over(TestGraph graph) => new() { App = graph };
}
