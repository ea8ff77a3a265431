using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Restaurants;

namespace RestMan.Tests.Observability;

/// <summary>The services' telemetry as an operator sees it: exported over OTLP, one trace per business action.</summary>
[Trait("Category", "Platform")]
public sealed class TracingTests
{
    private static readonly string[] Services = ["gateway", "auth", "scheduler", "restaurants", "orders", "kitchen", "billing", "analytics"];

    [Fact]
    public async Task One_placed_order_is_one_trace_from_the_gateway_through_orders_kafka_and_every_consumer()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await TestGraph.StartAsync(o =>
        {
            foreach (var service in Services)
            {
                o.Configuration[$"Services:{service}:Environment:OTEL_SDK_DISABLED"] = "false";
                o.Configuration[$"Services:{service}:Environment:OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
                o.Configuration[$"Services:{service}:Environment:OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                // Export within a fraction of a second instead of the default 5 s.
                o.Configuration[$"Services:{service}:Environment:OTEL_BSP_SCHEDULE_DELAY"] = "200";
                o.Configuration[$"Services:{service}:Environment:OTEL_METRIC_EXPORT_INTERVAL"] = "60000";
            }
        });

        using var gateway = app.CreateHttpClient("gateway");
        var owner = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail(), role: "rest");
        using var ownerClient = app.CreateGatewayClient(owner);
        var restaurant = await new SignedInOwner(owner, ownerClient).CreateRestaurantAsync();
        var food = await new SignedInOwner(owner, ownerClient).CreateFoodAsync(restaurant, "Margherita", 12.50m);
        var customer = await AuthFlow.LoginAsync(gateway, AuthFlow.NewEmail());
        using var customerClient = app.CreateGatewayClient(customer);

        // The client starts the trace, as a browser with tracing would; everything after it must stay in it.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new
            {
                restaurant_id = restaurant,
                order_type = "dine_in",
                items = new object[] { new { food_id = food, quantity = 2 } },
            }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var placed = await customerClient.SendAsync(request);
        await placed.ShouldHaveStatusAsync(HttpStatusCode.Created);

        string[] expected = ["gateway", "orders", "kitchen", "billing", "analytics"];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<ReceivedSpan> trace;
        do
        {
            await Task.Delay(250);
            trace = receiver.Spans.Where(s => s.TraceId == traceId).ToList();
        } while (!(expected.All(service => trace.Any(s => s.Service == service && s.Kind is 2 or 5)) && Roots(trace) == 1)
                 && DateTime.UtcNow < deadline);

        var summary = string.Join("\n", trace.Select(s => $"{s.Service}: {s.Name} (kind {s.Kind})"));
        trace.Select(s => s.Service).Distinct().ShouldBeSubsetOf(Services);
        foreach (var service in expected)
            trace.ShouldContain(s => s.Service == service, $"no span of {service} in the order's trace:\n{summary}");
        // Producer spans (kind 4) in orders, consumer spans (kind 5) in each consumer of order.events.
        trace.ShouldContain(s => s.Service == "orders" && s.Kind == 4 && s.Name.StartsWith("send "), summary);
        foreach (var consumer in new[] { "kitchen", "billing", "analytics" })
            trace.ShouldContain(s => s.Service == consumer && s.Kind == 5, $"{consumer}:\n{summary}");
        // Every span but the client's root hangs under another span of the trace: one tree, not loose fragments.
        Roots(trace).ShouldBe(1, summary);
    }

    // Spans whose parent is not in the trace; a span can arrive before its parent ends and is exported.
    private static int Roots(IReadOnlyList<ReceivedSpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return trace.Count(s => !ids.Contains(s.ParentSpanId));
    }
}
