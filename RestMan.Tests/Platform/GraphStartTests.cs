using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

/// <summary>Starting the graph: taken ports are replaced, a resource that cannot start fails the start at once and says why.</summary>
[Trait("Category", "Platform")]
public sealed class GraphStartTests
{
    [Fact]
    public async Task A_graph_whose_ports_another_process_took_before_start_still_comes_up_on_other_ports()
    {
        var squatters = new List<TcpListener>();
        try
        {
            await using var app = await TestGraph.StartAsync(o =>
            {
                o.Resources.Add("auth");
                // Another process listens on Redis's and auth's ports between the AppHost choosing them and their start.
                o.ConfigureBuilder = builder =>
                {
                    foreach (var (resource, endpoint) in new[] { ("redis", "tcp"), ("auth", "http") })
                    {
                        var squatter = new TcpListener(IPAddress.Loopback, Port(builder, resource, endpoint));
                        squatter.Start();
                        squatters.Add(squatter);
                    }
                };
            });
            var taken = squatters.Select(s => ((IPEndPoint)s.LocalEndpoint).Port).ToList();

            var redisPort = int.Parse(app.GetConnectionString("redis").Split(':')[1]);
            redisPort.ShouldNotBe(taken[0]);
            app.App.GetEndpoint("auth", "http").Port.ShouldNotBe(taken[1]);
            // auth is healthy only when its Redis answers: it was handed the new port.
            using var auth = app.CreateHttpClient("auth");
            (await auth.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            foreach (var squatter in squatters) squatter.Stop();
        }
    }

    [Fact]
    public async Task A_resource_that_cannot_start_fails_the_graph_at_once_with_its_last_log_lines_after_bounded_retries()
    {
        var started = DateTime.UtcNow;

        var failure = await Should.ThrowAsync<GraphStartException>(TestGraph.StartAsync(o =>
        {
            o.Resources.Add("redis");
            // An engine that dies at once: its health check (like every RestMan resource's) never passes.
            o.ConfigureBuilder = builder =>
            {
                builder.Services.AddHealthChecks().AddCheck("broken_check", () => HealthCheckResult.Unhealthy("connection refused"));
                builder.AddExecutable("broken", "sh", ".", "-c", "echo 'bind 127.0.0.1:4242: address already in use' >&2; exit 3")
                    .WithHealthCheck("broken_check");
            };
        }));

        failure.Message.ShouldContain("broken failed to start");
        failure.Message.ShouldContain("exit code 3");
        failure.Message.ShouldContain("3 attempts"); // the first start and 2 retries
        failure.Message.ShouldContain("bind 127.0.0.1:4242: address already in use");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_graph_not_up_within_the_start_timeout_names_what_is_still_waiting_and_on_what()
    {
        var failure = await Should.ThrowAsync<GraphStartException>(TestGraph.StartAsync(o =>
        {
            o.Resources.Add("redis");
            o.Configuration["RestMan:StartTimeout"] = "00:00:30";
            o.ConfigureBuilder = builder =>
            {
                builder.Services.AddHealthChecks().AddCheck("never_check", () => HealthCheckResult.Unhealthy("no answer on 127.0.0.1:4242"));
                var stuck = builder.AddExecutable("stuck", "sleep", ".", "600").WithHealthCheck("never_check");
                builder.AddExecutable("waiter", "sleep", ".", "600").WaitFor(stuck);
            };
        }));

        failure.Message.ShouldContain("did not come up within 30 s");
        failure.Message.ShouldContain("stuck        Running, Unhealthy: never_check: no answer on 127.0.0.1:4242");
        failure.Message.ShouldContain("waiter       Waiting; waits for stuck (Running, Unhealthy");
    }

    private static int Port(IDistributedApplicationTestingBuilder builder, string resource, string endpoint) =>
        builder.Resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint).Port!.Value;
}
