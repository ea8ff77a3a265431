using System.Net;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

[Trait("Category", "Platform")]
public sealed class WholeGraphTests
{
    [Fact]
    public async Task The_whole_graph_starts_healthy_routes_through_the_gateway_and_leaves_nothing_running()
    {
        var app = await TestGraph.StartAsync(); // returns once every resource is healthy
        HashSet<int> processes;
        try
        {
            app.ResourceNames.ShouldBe(
                ["cockroach", "kafka", "redis", "clickhouse", "auth", "scheduler", "restaurants", "orders", "kitchen",
                 "billing", "analytics", "inventory", "web", "gateway"], ignoreOrder: true);

            using var gateway = app.CreateHttpClient("gateway");
            (await gateway.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            // A signed-in owner reaches each routed service, with and without /api, and the owning service answers.
            var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), "rest");
            gateway.WithBearer(owner);
            foreach (var (path, service) in new[]
            {
                ("/auth/me", "auth"), ("/restaurants?mine=true", "restaurants"), ("/orders", "orders"),
                ("/kitchen/tickets", "kitchen"), ($"/billing/orders/{Guid.NewGuid()}", "billing"),
                ("/analytics/orders-by-status", "analytics"), ("/inventory/items", "inventory"),
            })
            {
                foreach (var url in new[] { path, "/api" + path })
                {
                    using var response = await gateway.GetAsync(url);
                    response.Headers.GetValues("X-Served-By").ShouldBe([service], customMessage: url);
                    ((int)response.StatusCode).ShouldBeLessThan(500, url);
                }
            }

            // Every other path is the web app's: its pages, Blazor's scripts and circuit.
            foreach (var url in new[] { "/", "/_framework/blazor.web.js" })
            {
                using var page = await gateway.GetAsync(url);
                page.StatusCode.ShouldBe(HttpStatusCode.OK, url);
                page.Headers.GetValues("X-Served-By").ShouldBe(["web"], customMessage: url);
            }

            using var internalCall = await gateway.GetAsync("/internal/foods?ids=x");
            internalCall.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            internalCall.Headers.GetValues("X-Served-By").ShouldBe(["gateway"]);
            internalCall.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

            using var scheduler = app.CreateHttpClient("scheduler");
            (await scheduler.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            var children = app.ResourceNames.Select(app.GetProcessId).OfType<int>().ToHashSet();
            children.Count.ShouldBe(14); // 4 engines (the Kafka dev broker is its own process) + 9 services + the web app
            processes = ProcessTable.WithDescendants(children);
            ProcessTable.StillAlive(processes).Count.ShouldBeGreaterThan(children.Count); // e.g. postgres backends

            // Without Redis nobody can be recognised: the gateway answers 503, not 500 and not a false 401.
            await app.StopResourceAsync("redis");
            using var withoutSessions = await gateway.GetAsync("/auth/me");
            await withoutSessions.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "sessions_unavailable");
        }
        finally
        {
            await app.DisposeAsync();
        }

        // DCP sends SIGTERM, then SIGKILL to what is left after a few seconds.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ProcessTable.StillAlive(processes).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(250);
        ProcessTable.StillAlive(processes).ShouldBeEmpty();
    }
}
