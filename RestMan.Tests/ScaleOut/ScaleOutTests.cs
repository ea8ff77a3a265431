using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Dapper;
using Microsoft.Playwright;
using Npgsql;
using RestMan.ClickHouse;
using RestMan.Tests.BuildingBlocks;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;
using RestMan.Tests.Web;
using Xunit.Abstractions;

namespace RestMan.Tests.ScaleOut;

/// <summary>
/// The graph with two replicas of the gateway, the web app, Orders, Kitchen, Billing and Analytics
/// (<c>RestMan:Replicas:&lt;service&gt;=2</c>), started once for this class. Every client says it is a client of its
/// own (X-Forwarded-For from loopback), so the per-client budget is one real client's.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    public static readonly string[] Replicated = ["orders", "kitchen", "billing", "analytics", "web", "gateway"];
    /// <summary>One client's requests per minute, for both gateways together.</summary>
    public const int PermitsPerMinute = 600;

    public TestGraph App { get; private set; } = null!;
    public ApplicationFixture Flows { get; private set; } = null!;
    public TimeSpan StartedIn { get; private set; }

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        App = await TestGraph.StartAsync(o =>
        {
            foreach (var service in Replicated)
            {
                o.Configuration[$"RestMan:Replicas:{service}"] = "2";
                // The relay's lease is 3 × the producer's message timeout: a dead lease holder's outbox moves on within ~10 s.
                o.Configuration[$"Services:{service}:Environment:Messaging__Kafka__MessageTimeout"] = "00:00:03";
            }
            o.Configuration["Services:gateway:Environment:Gateway__RateLimit__PermitsPerMinute"] = $"{PermitsPerMinute}";
            o.EachClientItsOwnAddress = true;
        });
        StartedIn = started.Elapsed;
        Flows = ApplicationFixture.Over(App);
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }

    /// <summary>The running replicas' own resource ids (Aspire's instance names), e.g. <c>orders-abcd1234</c>, in a stable order.</summary>
    public IReadOnlyList<string> Replicas(string service)
    {
        var running = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            // The watch replays every resource's current state first.
            foreach (var e in App.App.ResourceNotifications.WatchAsync(enough.Token).ToBlockingEnumerable(enough.Token))
                if (e.Resource.Name == service && e.ResourceId != service) running[e.ResourceId] = e.Snapshot.State?.Text == KnownResourceStates.Running;
        }
        catch (OperationCanceledException)
        {
        }
        return [.. running.Where(r => r.Value).Select(r => r.Key)];
    }

    /// <summary>An environment variable as the replica's process got it (as DCP reports it).</summary>
    public string? EnvironmentOf(string replica, string name) =>
        App.App.ResourceNotifications.TryGetCurrentState(replica, out var state)
            ? state.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == name)?.Value : null;

    /// <summary>
    /// Where the replica itself listens (the first http address of its <c>ASPNETCORE_URLS</c>), not DCP's proxy on the
    /// service's port: a browser there is served by this replica and no other.
    /// </summary>
    public Uri OwnAddressOf(string replica)
    {
        var urls = EnvironmentOf(replica, "ASPNETCORE_URLS") ?? throw new InvalidOperationException($"replica {replica} has no ASPNETCORE_URLS");
        var http = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"replica {replica} listens on no http address: {urls}");
        return new Uri(http.Replace("://*:", "://localhost:").Replace("://+:", "://localhost:").Replace("://0.0.0.0:", "://localhost:"));
    }

    /// <summary>SIGKILLs one replica's process tree and waits until DCP reports it ended.</summary>
    public async Task KillReplicaAsync(string replica)
    {
        var pids = App.GetProcessTree(replica);
        if (pids.Count == 0) throw new InvalidOperationException($"replica {replica} has no process");
        foreach (var pid in pids) ProcessTable.Kill(pid, ProcessTable.SigKill);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (App.App.ResourceNotifications.TryGetCurrentState(replica, out var state)
               && !KnownResourceStates.TerminalStates.Contains(state.Snapshot.State?.Text)
               && ProcessTable.StillAlive(pids).Count > 0)
            await Task.Delay(100, patience.Token);
    }
}

/// <summary>
/// Scale out: under a steady order stream one replica of each service is SIGKILLed in turn, then one gateway; nothing a
/// customer was told is lost or doubled, and the gateways enforce one client's budget together.
/// </summary>
[Trait("Category", "ScaleOut")]
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
public sealed class ScaleOutTests(ScaleOutFixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<ScaleOutFixture>, IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    [Fact]
    public void Each_replica_has_an_id_of_its_own()
    {
        output.WriteLine($"graph started in {fixture.StartedIn.TotalSeconds:0} s");
        foreach (var service in ScaleOutFixture.Replicated)
        {
            var replicas = fixture.Replicas(service);
            replicas.Count.ShouldBe(2, service);
            var ids = replicas.Select(r => fixture.EnvironmentOf(r, "RestMan__ReplicaId")).ToList();
            output.WriteLine($"{service}: {string.Join(", ", replicas)} → {string.Join(", ", ids)}");
            ids.ShouldAllBe(id => !string.IsNullOrEmpty(id) && !id.Contains('{'));
            ids.Distinct().Count().ShouldBe(2, service);
        }
    }

    [Fact]
    public async Task Two_gateways_together_let_one_client_have_its_budget_once()
    {
        fixture.Replicas("gateway").Count.ShouldBe(2);
        // A connection per request: DCP's proxy hands connections to the two gateways in turn, so each gets about half.
        using var gateway = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = fixture.App.GatewayUrl };
        var client = $"203.0.113.{Random.Shared.Next(1, 250)}";
        var answers = new ConcurrentBag<HttpStatusCode>();
        var total = ScaleOutFixture.PermitsPerMinute * 3 / 2;
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/restaurants/{Guid.NewGuid()}/menu");
            request.Headers.Add("X-Forwarded-For", client);
            request.Headers.ConnectionClose = true;
            using var response = await gateway.SendAsync(request, ct);
            answers.Add(response.StatusCode);
        });
        var allowed = answers.Count(a => a != HttpStatusCode.TooManyRequests);
        output.WriteLine($"{total} requests of one client over two gateways: {allowed} allowed, budget {ScaleOutFixture.PermitsPerMinute}");
        answers.Where(a => (int)a >= 500).ShouldBeEmpty();
        // Counted per gateway, both would have let all of them through (about half each, under each one's budget).
        // The Redis window starts at the client's first request, so one minute holds all of these: never more than one
        // budget, and at most each gateway's last block (a fiftieth of the budget) left unspent.
        allowed.ShouldBeLessThanOrEqualTo(ScaleOutFixture.PermitsPerMinute);
        allowed.ShouldBeGreaterThanOrEqualTo(ScaleOutFixture.PermitsPerMinute - 2 * (ScaleOutFixture.PermitsPerMinute / 50));
    }

    [Fact]
    public async Task A_kitchen_display_through_each_web_replica_shows_every_new_ticket_within_2_s()
    {
        var webs = fixture.Replicas("web");
        webs.Count.ShouldBe(2);
        var addresses = webs.Select(fixture.OwnAddressOf).ToList();
        output.WriteLine($"web replicas: {string.Join(", ", webs.Zip(addresses, (w, a) => $"{w} at {a}"))}; the service's proxy at {fixture.App.App.GetEndpoint("web", "http")}");
        addresses.Distinct().Count().ShouldBe(2, "each replica listens on an address of its own");
        addresses.ShouldNotContain(fixture.App.App.GetEndpoint("web", "http"), "a replica's own address, not DCP's proxy that spreads over both");
        using var restaurant = await Restaurant.OpenAsync(fixture.Flows);

        // Two screens in one kitchen, the same cook signed in on both, each screen served by a different web replica.
        var displays = new List<(string Replica, IPage Page)>();
        foreach (var (replica, address) in webs.Zip(addresses))
        {
            var page = await browser.OpenAsync(address);
            await page.SignInToKitchenDisplayAsync(restaurant.Kitchen.Email);
            await page.MarkAsync();
            displays.Add((replica, page));
        }

        // One order after another through the gateways, so each ticket reaches a screen by its own events, not by a
        // reload another order's event caused.
        for (var i = 0; i < 6; i++)
        {
            var order = (await restaurant.Customer.PlaceOrderOkAsync(restaurant.UsualOrder("takeaway"))).GetProperty("id").GetGuid();
            await restaurant.Kitchen.WaitForTicketAsync(order);
            var stored = Stopwatch.StartNew();
            var shownAfter = await Task.WhenAll(displays.Select(async d =>
            {
                try
                {
                    await d.Page.Locator($"[data-test=ticket][data-order-id='{order}']").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
                }
                catch (TimeoutException)
                {
                    throw new ShouldAssertException($"the ticket of order {order} was not on the display served by {d.Replica} within 2 s of the kitchen having it");
                }
                return $"{d.Replica} {stored.Elapsed.TotalMilliseconds:0} ms";
            }));
            Log($"order {order}: ticket shown by {string.Join(", ", shownAfter)} after the kitchen had it");
        }

        // Live updates, not reloads: each screen is still the page the cook opened.
        foreach (var (_, page) in displays) await page.ShouldNotHaveReloadedAsync();
    }

    [Fact]
    [RunsLast] // the replicas it kills stay dead: the other tests need two of each
    public async Task Killing_one_replica_of_each_service_then_a_gateway_loses_and_doubles_nothing_under_a_steady_order_stream()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture.Flows);
        var customers = new List<Person>();
        for (var i = 0; i < 4; i++) customers.Add(await OrderingFlow.SignInAsync(fixture.Flows));
        using var stop = new CancellationTokenSource();
        var stream = new OrderStream(restaurant);
        var clients = customers.Select(c => Task.Run(() => stream.OrderAsync(c, stop.Token))).ToList();
        var phases = new List<string>();
        var windows = new List<(string Service, List<int> Statuses)>();
        var gatewaysSaid = new Dictionary<string, string>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var service in ScaleOutFixture.Replicated)
            {
                var mark = stream.Statuses.Count;
                var replica = fixture.Replicas(service)[0];
                var clock = Stopwatch.StartNew();
                await fixture.KillReplicaAsync(replica);
                Log($"{replica} killed");
                await Task.Delay(TimeSpan.FromSeconds(2));
                var accepted = stream.Accepted.Keys.ToHashSet();
                var counts = await Eventually.MatchesAsync(() => CountAsync(restaurant.Id, accepted), c => c.Converged(accepted.Count),
                    Convergence, $"the orders accepted up to killing {replica} to converge");
                var window = stream.Statuses.Skip(mark).ToList();
                windows.Add((service, window));
                // What the gateways said of their failed forwards and resends, read at once (later lines push them out).
                if (window.Any(s => s >= 500 || s == 0))
                    gatewaysSaid[service] = string.Join(" | ", (await fixture.App.LastLogLinesAsync("gateway", 5000))
                        .Where(l => l.Contains("sending it again", StringComparison.Ordinal) || l.Contains("could not be reached", StringComparison.Ordinal)
                                    || l.Contains("Request finished", StringComparison.Ordinal) && l.Contains(" 503 ", StringComparison.Ordinal))
                        .TakeLast(12));
                var phase = $"{replica} killed: {window.Count(s => s == 201)} accepted meanwhile, {window.Count(s => s >= 500)} answers >= 500, " +
                    $"{window.Count(s => s == 0)} connections lost, converged in {clock.Elapsed.TotalSeconds:0.0} s [{counts}]";
                phases.Add(phase);
                Log(phase);
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            customers.ForEach(c => c.Dispose());
        }

        var all = stream.Accepted.Keys.ToHashSet();
        var final = await Eventually.MatchesAsync(() => CountAsync(restaurant.Id, all), c => c.Converged(all.Count), Convergence,
            "every accepted order to reach kitchen, billing and analytics once");
        Log($"all: {all.Count} accepted; {final}; failures: {string.Join(" | ", stream.Failures.Take(5))}");
        final.Orders.ShouldBe(all.Count, "the restaurant has exactly the orders customers were told about");
        final.Duplicates.ShouldBe(0);
        // A request in flight to a killed replica is sent again by the gateway (it carries an Idempotency-Key) and reaches
        // the live one: no customer sees a failure. Killing a gateway loses its own open connections (status 0: the
        // client resends to the other); only there may a 503 still be seen.
        Log($"answers >= 500: {string.Join(", ", stream.Statuses.Where(s => s >= 500).GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"))}");
        foreach (var (service, window) in windows.Where(w => w.Service != "gateway"))
            window.Where(s => s >= 500 || s == 0).ShouldBeEmpty(
                $"while a {service} replica died; {string.Join(" | ", stream.Failures.Take(5))}; the gateways said: {gatewaysSaid.GetValueOrDefault(service)}");
        stream.Statuses.Where(s => s >= 500 && s != 503).ShouldBeEmpty($"no answer >= 500 but a 503 from a gateway; {string.Join(" | ", stream.Failures.Take(5))}");
        all.Count.ShouldBeGreaterThan(50, "the stream must really have placed orders");
    }

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    private async Task<Counts> CountAsync(Guid restaurantId, IReadOnlySet<Guid> accepted)
    {
        var ids = accepted.ToArray();
        await using var db = new NpgsqlConnection(fixture.App.GetConnectionString("cockroach") + ";Pooling=false");
        var orders = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM orders.orders WHERE restaurant_id = @restaurantId", new { restaurantId });
        var tickets = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM kitchen.kitchen_tickets WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var bills = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM billing.bills WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var outboxes = await db.QueryAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'");
        long unsent = 0;
        foreach (var schema in outboxes)
            unsent += await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".outbox WHERE sent_at IS NULL");
        using var http = new HttpClient();
        var clickHouse = new ClickHouseClient(http, ClickHouseConnectionSettings.Parse(fixture.App.GetConnectionString("clickhouse")));
        var analytics = await clickHouse.QueryAsync<AnalyticsRow>(
            $"SELECT toString(order_id) AS order_id, count() AS copies FROM orders_analytics FINAL " +
            $"WHERE restaurant_id = toUUID('{restaurantId}') GROUP BY order_id", CancellationToken.None);
        return new Counts(orders, Once(tickets), Once(bills),
            Once(analytics.Select(a => (Guid.Parse(a.OrderId), a.Copies)).Where(a => accepted.Contains(a.Item1))),
            tickets.Concat(bills).Count(t => t.Item2 > 1) + analytics.Count(a => a.Copies > 1), unsent);
    }

    private static int Once(IEnumerable<(Guid OrderId, long Copies)> rows) => rows.Count(r => r.Copies == 1);

    private sealed record AnalyticsRow(string OrderId, long Copies);

    private sealed record Counts(long Orders, int Tickets, int Bills, int Analytics, int Duplicates, long Unsent)
    {
        public bool Converged(int accepted) => Tickets == accepted && Bills == accepted && Analytics == accepted && Duplicates == 0 && Unsent == 0;
    }

    /// <summary>Customers ordering back to back with Idempotency-Keys, resending the same request after a failure until answered.</summary>
    private sealed class OrderStream(Restaurant restaurant)
    {
        public ConcurrentDictionary<Guid, string> Accepted { get; } = new();
        public ConcurrentQueue<int> Statuses { get; } = new();
        public ConcurrentQueue<string> Failures { get; } = new();

        public async Task OrderAsync(Person customer, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var key = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 60; attempt++)
                {
                    int status;
                    string body;
                    TimeSpan? retryAfter = null;
                    try
                    {
                        using var response = await customer.PlaceOrderAsync(restaurant.UsualOrder(), key);
                        status = (int)response.StatusCode;
                        retryAfter = response.Headers.RetryAfter?.Delta;
                        body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    }
                    catch (HttpRequestException ex)
                    {
                        (status, body) = (0, ex.Message); // the connection's gateway died: the next attempt reaches the other
                    }
                    Statuses.Enqueue(status);
                    if (status == (int)HttpStatusCode.Created)
                    {
                        Accepted.TryAdd(JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid(), key);
                        break;
                    }
                    Failures.Enqueue($"POST /orders {status} {body}");
                    if (status is >= 400 and < 500 and not 429 and not 408) break;
                    await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(300), CancellationToken.None);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }
}
