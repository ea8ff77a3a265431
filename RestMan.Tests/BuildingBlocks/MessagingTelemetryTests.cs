using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RestMan.Messaging;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;
using static RestMan.Tests.BuildingBlocks.MessagingProbes;
using static RestMan.Tests.BuildingBlocks.TestServices;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// What operators see of messaging: the trace carried from writer to handler, consumer lag, and the "kafka"
/// readiness check.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class MessagingTelemetryTests(InfrastructureFixture infra, ITestOutputHelper output)
{
    [Fact]
    public async Task The_handler_runs_in_the_trace_of_the_code_that_wrote_the_event()
    {
        using var listener = ListenTo(MessagingTelemetry.Name, RequestSource.Name);
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup));
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();

        string requestTraceId;
        using (var request = RequestSource.StartActivity("POST /orders"))
        {
            requestTraceId = request!.TraceId.ToHexString();
            await PlaceOrderAsync(orders, orderId);
        }

        await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count > 0, Patience, "the order to be handled");
        (await EffectTraceIdsAsync(db, orderId)).ShouldBe([requestTraceId], "the traceparent carried through outbox and Kafka");
    }

    [Fact]
    public async Task Consumer_lag_counts_the_messages_not_yet_handled_and_drops_to_zero()
    {
        var gate = new KitchenGate();
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        await using var db = scenario.CreateDataSource();
        var orderId = Guid.NewGuid();
        await PlaceOrderAsync(orders, orderId, notes: WaitNote);
        for (var change = 0; change < 3; change++) await ChangeStatusAsync(orders, orderId);
        await Eventually.MatchesAsync(() => UnsentCountAsync(db), unsent => unsent == 0, Patience, "the outbox to drain");

        using var lag = new ConsumerLagProbe(scenario.ConsumerGroup);
        await using var kitchen = await scenario.StartHostAsync("kitchen", b => AddKitchenSide(b, scenario.ConsumerGroup, gate));

        // The handler holds the first of the order's four messages: all four are unhandled.
        await Eventually.MatchesAsync(lag.ReadAsync, l => l.Values.Sum() == 4, Patience, "a lag of 4 while the first message is held");
        gate.Opened.SetResult();
        await Eventually.MatchesAsync(() => EffectsAsync(db, orderId), e => e.Count == 4, Patience, "all four events");
        await Eventually.MatchesAsync(lag.ReadAsync, l => l.Values.Sum() == 0, Patience, "no lag once caught up");
    }

    [Fact]
    public async Task The_kafka_health_check_fails_while_the_broker_is_down_and_recovers_when_it_is_back()
    {
        var scenario = await MessagingScenario.CreateAsync(infra, output);
        await using var orders = await scenario.StartHostAsync("orders", AddOrdersSide);
        var health = orders.Services.GetRequiredService<HealthCheckService>();
        Task<HealthReport> CheckKafkaAsync() => health.CheckHealthAsync(check => check.Name == "kafka" && check.Tags.Contains("ready"));

        (await CheckKafkaAsync()).Status.ShouldBe(HealthStatus.Healthy);
        infra.Kafka.SetBrokerDown();
        try
        {
            (await CheckKafkaAsync()).Status.ShouldBe(HealthStatus.Unhealthy);
        }
        finally
        {
            infra.Kafka.SetBrokerUp();
        }
        await Eventually.MatchesAsync(CheckKafkaAsync, report => report.Status == HealthStatus.Healthy, Patience, "Kafka to be healthy again");
    }

    private static readonly ActivitySource RequestSource = new("RestMan.Tests.Requests");

    private static ActivityListener ListenTo(params string[] sources)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
