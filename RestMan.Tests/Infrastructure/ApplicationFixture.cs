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

    // Every test signs in from 127.0.0.1: one shared per-client OTP budget would throttle the suite, not a client.
    public async Task InitializeAsync() => App = await TestGraph.StartAsync(o =>
        o.Configuration["Services:auth:Environment:Auth__RateLimits__PerClient__Limit"] = "10000");

    public async Task DisposeAsync() => await App.DisposeAsync();
}
