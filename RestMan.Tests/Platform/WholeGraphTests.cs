using System.Net;
using RestMan.Hosting.Resources;
using RestMan.Hosting.Testing;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

[Trait("Category", "Platform")]
public sealed class WholeGraphTests
{
    [Fact]
    public async Task The_whole_graph_starts_healthy_routes_through_the_gateway_and_leaves_nothing_running()
    {
        var app = await DistributedApplicationTestingBuilder.StartAsync<Program>();
        HashSet<int> processes;
        try
        {
            app.Resources.ShouldAllBe(r => r.State == ResourceState.Running);
            app.Resources.Select(r => r.Name).ShouldBe(
                ["cockroach", "kafka", "redis", "clickhouse", "auth", "scheduler", "restaurants", "orders", "kitchen",
                 "billing", "analytics", "gateway"], ignoreOrder: true);

            using var gateway = app.CreateHttpClient("gateway");
            (await gateway.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            // A signed-in owner reaches each routed service, with and without /api, and the owning service answers.
            var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), "rest");
            gateway.WithBearer(owner);
            foreach (var (path, service) in new[]
            {
                ("/auth/me", "auth"), ("/restaurants?mine=true", "restaurants"), ("/orders", "orders"),
                ("/kitchen/tickets", "kitchen"), ($"/billing/orders/{Guid.NewGuid()}", "billing"),
                ("/analytics/orders-by-status", "analytics"),
            })
            {
                foreach (var url in new[] { path, "/api" + path })
                {
                    using var response = await gateway.GetAsync(url);
                    response.Headers.GetValues("X-Served-By").ShouldBe([service], customMessage: url);
                    ((int)response.StatusCode).ShouldBeLessThan(500, url);
                }
            }

            using var internalCall = await gateway.GetAsync("/internal/foods?ids=x");
            internalCall.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            internalCall.Headers.GetValues("X-Served-By").ShouldBe(["gateway"]);
            internalCall.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

            using var scheduler = app.CreateHttpClient("scheduler");
            (await scheduler.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            var children = ChildProcesses(app);
            children.Count.ShouldBe(11); // 3 infra processes + 8 services (the Kafka dev cluster lives in-process)
            processes = ProcessTable.WithDescendants(children);
            ProcessTable.StillAlive(processes).Count.ShouldBeGreaterThan(children.Count); // e.g. postgres backends

            // Without Redis nobody can be recognised: the gateway answers 503, not 500 and not a false 401.
            await app.GetResource<RedisResource>("redis").StopAsync();
            using var withoutSessions = await gateway.GetAsync("/auth/me");
            await withoutSessions.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "sessions_unavailable");
        }
        finally
        {
            await app.DisposeAsync();
        }

        ProcessTable.StillAlive(processes).ShouldBeEmpty();
    }

    private static HashSet<int> ChildProcesses(RestMan.Hosting.DistributedApplication app) =>
        app.Resources.Select(r => r switch
        {
            ProjectResource p => p.Process?.Pid,
            InfrastructureResource i => i.LocalProcessId,
            _ => null,
        }).OfType<int>().ToHashSet();
}
