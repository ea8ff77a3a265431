using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using RestMan.ClickHouse;
using RestMan.Tests.BuildingBlocks;
using RestMan.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RestMan.Tests.Ordering;

/// <summary>
/// One steady stream of customers ordering (with Idempotency-Keys) and reading the menu through the gateway,
/// while the platform's dependencies fail one after another. After each fault every order a customer was told is
/// placed must reach the kitchen, the bill and analytics exactly once, and nobody in the stream may see a 5xx — not
/// even a 503. Each phase writes its figures to the test output.
/// </summary>
[Trait("Category", "Faults")]
[Collection(ApplicationCollection.Name)]
public sealed class OrderingFaultTests(ApplicationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);
    /// <summary>Orders keep coming after each fault before its convergence is checked.</summary>
    private static readonly TimeSpan Afterwards = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Through_kafka_outages_and_freezes_killed_consumers_and_database_redis_and_clickhouse_restarts_every_accepted_order_gets_one_ticket_one_bill_one_analytics_row_and_nobody_sees_a_5xx()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture);
        var customers = new List<Person>();
        for (var i = 0; i < 4; i++) customers.Add(await OrderingFlow.SignInAsync(fixture));
        using var menuReader = fixture.CreateGatewayClient();
        using var stop = new CancellationTokenSource();
        var stream = new CustomerStream(restaurant);
        var clients = customers.Select(c => Task.Run(() => stream.OrderAsync(c, stop.Token)))
            .Append(Task.Run(() => stream.ReadMenuAsync(menuReader, stop.Token))).ToList();
        var figures = new List<PhaseFigures>();

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await PhaseAsync("kafka brokers down 10 s", stream, restaurant, figures, async () =>
            {
                await fixture.App.SetKafkaBrokersAsync(up: false);
                try { await Task.Delay(TimeSpan.FromSeconds(10)); }
                finally { await fixture.App.SetKafkaBrokersAsync(up: true); }
            });
            await PhaseAsync("kafka frozen (SIGSTOP) 10 s", stream, restaurant, figures, async () =>
            {
                // Nothing is closed, everything just stops answering: clients wait on open connections.
                var pids = fixture.App.GetProcessTree("kafka");
                foreach (var pid in pids) ProcessTable.Kill(pid, ProcessTable.SigStop);
                try { await Task.Delay(TimeSpan.FromSeconds(10)); }
                finally { foreach (var pid in pids) ProcessTable.Kill(pid, ProcessTable.SigCont); }
            });
            await PhaseAsync("kitchen killed (SIGKILL) and started", stream, restaurant, figures, () =>
                fixture.KillAndStartAsync("kitchen", Log, restaurant.Kitchen.Client, "/kitchen/tickets"));
            await PhaseAsync("billing killed (SIGKILL) and started", stream, restaurant, figures, () =>
                fixture.KillAndStartAsync("billing", Log));
            await PhaseAsync("postgresql restarted", stream, restaurant, figures, () => fixture.App.RestartResourceAsync("cockroach"));
            await PhaseAsync("redis restarted", stream, restaurant, figures, RestartRedisAsync);
            await PhaseAsync("clickhouse down 20 s", stream, restaurant, figures, async () =>
            {
                await fixture.App.StopResourceAsync("clickhouse");
                try { await Task.Delay(TimeSpan.FromSeconds(20)); }
                finally { await fixture.App.StartResourceAsync("clickhouse"); }
            });
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            customers.ForEach(c => c.Dispose());
        }

        var accepted = stream.Accepted.Keys.ToHashSet();
        var final = await Eventually.MatchesAsync(() => CountAsync(restaurant.Id, accepted),
            c => c.Converged(accepted.Count), Convergence, "every accepted order to reach kitchen, billing and analytics");
        output.WriteLine($"all phases: {stream.Describe(0)}; {final}");
        figures.ShouldAllBe(f => f.Converged, "every phase must converge: nothing lost, nothing duplicated");
        stream.Statuses.Where(s => s >= 500 || s == 0).ShouldBeEmpty($"nobody in the stream may see a 5xx; failures: {string.Join(" | ", stream.Failures.Take(5))}");
        stream.Failures.ShouldBeEmpty("no request of the stream may fail");
        final.Orders.ShouldBe(accepted.Count, "the restaurant has exactly the orders customers were told about");
        final.Inconsistent.ShouldBe(0, "an untouched order is PLACED, its ticket NEW and its bill PENDING");
        accepted.Count.ShouldBeGreaterThan(100, "the stream must really have placed orders");
    }

    /// <summary>
    /// The dashboard's Stop on <c>kafka</c>: the dev broker process ends and comes back empty but for its topics. The
    /// mock cluster keeps nothing on disk, so events it acknowledged and nobody consumed yet die with it (a real broker
    /// is durable); that is why this runs apart from the stream, with the consumers caught up before the stop.
    /// </summary>
    [Fact]
    public async Task Orders_placed_while_the_kafka_resource_is_stopped_for_10_s_all_reach_the_kitchen_and_billing()
    {
        using var r = await Restaurant.OpenAsync(fixture);
        var before = await PlaceOrdersForAsync(r, TimeSpan.FromSeconds(2));
        await AllReachKitchenAndBillingAsync(r, before);
        List<Guid> during;
        await fixture.App.StopResourceAsync("kafka");
        try
        {
            during = await PlaceOrdersForAsync(r, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await fixture.App.StartResourceAsync("kafka");
        }
        var after = await PlaceOrdersForAsync(r, TimeSpan.FromSeconds(2));
        await AllReachKitchenAndBillingAsync(r, [.. during, .. after]);
    }

    private static async Task<List<Guid>> PlaceOrdersForAsync(Restaurant r, TimeSpan duration)
    {
        var orders = new List<Guid>();
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until || orders.Count < 3)
        {
            using var placed = await r.Customer.PlaceOrderAsync(r.UsualOrder());
            await placed.ShouldHaveStatusAsync(HttpStatusCode.Created);
            orders.Add((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        return orders;
    }

    private static async Task AllReachKitchenAndBillingAsync(Restaurant r, IReadOnlyList<Guid> orders)
    {
        var recovery = TimeSpan.FromSeconds(60);
        foreach (var orderId in orders)
        {
            (await r.Kitchen.WaitForTicketAsync(orderId, recovery)).GetProperty("order_id").GetGuid().ShouldBe(orderId);
            (await OrderingFlow.EventuallyAsync<JsonElement>(async () =>
            {
                using var response = await r.Customer.Client.GetAsync($"/billing/orders/{orderId}");
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }, recovery, $"the bill of order {orderId}")).Text("status").ShouldBe("PENDING");
        }
    }

    [Fact]
    public async Task While_the_database_stays_down_an_order_is_answered_503_with_Retry_After_and_placing_works_again_once_it_is_back()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture);
        await fixture.App.StopResourceAsync("cockroach");
        try
        {
            using var refused = await restaurant.Customer.PlaceOrderAsync(restaurant.UsualOrder(), Guid.NewGuid().ToString());
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
            refused.Headers.RetryAfter?.Delta.ShouldNotBeNull("a 503 must say when to try again");
            refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }
        finally
        {
            await fixture.App.StartResourceAsync("cockroach");
        }

        var placed = await restaurant.Customer.PlaceOrderOkAsync(restaurant.UsualOrder());
        await restaurant.Kitchen.WaitForTicketAsync(placed.GetProperty("id").GetGuid(), TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Runs one fault under the stream, then waits until every order accepted so far has converged, and reports the
    /// phase's own figures.
    /// </summary>
    private async Task PhaseAsync(string name, CustomerStream stream, Restaurant restaurant, List<PhaseFigures> figures, Func<Task> fault)
    {
        var mark = stream.Mark();
        Log($"{name}: begins");
        await fault();
        var faultEnded = Stopwatch.StartNew();
        Log($"{name}: over");
        await Task.Delay(Afterwards);
        var window = stream.Since(mark);
        var accepted = stream.Accepted.Keys.ToHashSet();
        Counts counts;
        var converged = true;
        try
        {
            counts = await Eventually.MatchesAsync(() => CountAsync(restaurant.Id, accepted), c => c.Converged(accepted.Count),
                Convergence, $"the orders accepted up to '{name}' to converge");
        }
        catch (TimeoutException)
        {
            converged = false;
            counts = await CountAsync(restaurant.Id, accepted);
            // Events stuck somewhere between a relay and a consumer: what the publisher, a consumer and the broker last said.
            foreach (var resource in new[] { "orders", "kitchen", "kafka" })
                foreach (var line in WithoutProbes(await fixture.App.LastLogLinesAsync(resource, 400)).TakeLast(40)) Log($"{resource} | {line}");
        }
        var phase = new PhaseFigures(name, window.Accepted, window.FiveXx, window.Unavailable,
            Lost: accepted.Count - Math.Min(counts.Tickets, Math.Min(counts.Bills, counts.Analytics)), counts.Duplicates,
            converged ? faultEnded.Elapsed.TotalSeconds : double.NaN, converged);
        figures.Add(phase);
        Log($"{phase} [{counts}]");
        phase.Converged.ShouldBeTrue($"{phase}; {counts}");
    }

    /// <summary>
    /// The run's Redis snapshots to disk (and on shutdown) so sessions survive a restart; a test's Redis is pure memory,
    /// so the phase takes that snapshot itself (SAVE) before restarting it.
    /// </summary>
    private async Task RestartRedisAsync()
    {
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.App.GetConnectionString("redis")))
            await redis.GetDatabase().ExecuteAsync("SAVE");
        await fixture.App.RestartResourceAsync("redis");
    }

    /// <summary>Health probes every few seconds would drown what matters: drops them with their "info:" header lines.</summary>
    private static IEnumerable<string> WithoutProbes(IReadOnlyList<string> lines) =>
        lines.Where((line, i) => !IsProbe(line) && !(i + 1 < lines.Count && IsProbe(lines[i + 1])));

    private static bool IsProbe(string line) =>
        line.Contains("/health", StringComparison.Ordinal) || line.Contains("/alive", StringComparison.Ordinal) || line.Contains("'Health checks'", StringComparison.Ordinal);

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    private async Task<Counts> CountAsync(Guid restaurantId, IReadOnlySet<Guid> accepted)
    {
        var ids = accepted.ToArray();
        // Unpooled: a pooled connection from before a database restart fails its first command.
        await using var db = new NpgsqlConnection(fixture.App.GetConnectionString("cockroach") + ";Pooling=false");
        var orders = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM orders.orders WHERE restaurant_id = @restaurantId", new { restaurantId });
        var tickets = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM kitchen.kitchen_tickets WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var bills = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM billing.bills WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var inconsistent = await db.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM orders.orders o
            LEFT JOIN kitchen.kitchen_tickets t ON t.order_id = o.id
            LEFT JOIN billing.bills b ON b.order_id = o.id
            WHERE o.id = ANY(@ids) AND (o.status <> 'PLACED' OR t.status <> 'NEW' OR b.status <> 'PENDING')
            """, new { ids });
        // Every service's outbox: an event left unsent is an event some consumer never saw.
        var outboxes = await db.QueryAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'");
        long unsent = 0;
        foreach (var schema in outboxes)
            unsent += await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".outbox WHERE sent_at IS NULL");

        IReadOnlyList<AnalyticsRow> analytics;
        try
        {
            using var http = new HttpClient();
            var clickHouse = new ClickHouseClient(http, ClickHouseConnectionSettings.Parse(fixture.App.GetConnectionString("clickhouse")));
            analytics = await clickHouse.QueryAsync<AnalyticsRow>(
                $"SELECT toString(order_id) AS order_id, count() AS copies FROM orders_analytics FINAL " +
                $"WHERE restaurant_id = toUUID('{restaurantId}') GROUP BY order_id", CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            analytics = []; // ClickHouse still starting: nothing counted yet
        }

        return new Counts(orders, Once(tickets), Once(bills),
            Once(analytics.Select(a => (Guid.Parse(a.OrderId), a.Copies)).Where(a => accepted.Contains(a.Item1))),
            Duplicates: tickets.Concat(bills).Count(t => t.Item2 > 1) + analytics.Count(a => a.Copies > 1), Unsent: unsent, inconsistent);
    }

    private static int Once(IEnumerable<(Guid OrderId, long Copies)> rows) => rows.Count(r => r.Copies == 1);

    private sealed record AnalyticsRow(string OrderId, long Copies);

    private sealed record Counts(long Orders, int Tickets, int Bills, int Analytics, int Duplicates, long Unsent, long Inconsistent)
    {
        public bool Converged(int accepted) =>
            Tickets == accepted && Bills == accepted && Analytics == accepted && Duplicates == 0 && Unsent == 0;
    }

    private sealed record PhaseFigures(string Phase, int Accepted, int FiveXx, int Unavailable, int Lost, int Duplicated, double SecondsToConverge, bool Converged)
    {
        public override string ToString() =>
            $"{Phase}: accepted {Accepted}, 5xx {FiveXx}, 503 {Unavailable}, lost {Lost}, duplicated {Duplicated}, converged in {SecondsToConverge:0.0} s";
    }
}
