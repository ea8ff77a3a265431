using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Dapper;
using Npgsql;
using RestMan.ClickHouse;
using RestMan.Tests.BuildingBlocks;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RestMan.Tests.Ordering;

/// <summary>
/// Issue 16, as an operator tried it: customers keep ordering while the kitchen stalls, the Kafka broker freezes and
/// the database restarts. Every order a customer was told is placed must reach the kitchen, the bill and analytics,
/// exactly once, and nobody may see a 5xx on the way.
/// </summary>
[Trait("Category", "Faults")]
[Collection(ApplicationCollection.Name)]
public sealed partial class OrderingFaultTests(ApplicationFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_order_accepted_through_a_kitchen_stall_a_broker_freeze_and_a_database_restart_gets_one_ticket_one_bill_and_one_analytics_row()
    {
        using var restaurant = await Restaurant.OpenAsync(fixture);
        var customers = new List<Person>();
        for (var i = 0; i < 4; i++) customers.Add(await OrderingFlow.SignInAsync(fixture));
        using var stop = new CancellationTokenSource();
        var load = new OrderLoad(restaurant);
        var clients = customers.Select(customer => Task.Run(() => load.RunAsync(customer, stop.Token))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        var kitchen = Freeze("kitchen");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var broker = Freeze("kafka");
        await Task.Delay(TimeSpan.FromSeconds(5));
        kitchen.Thaw();
        var restart = RestartDatabaseAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        broker.Thaw();
        await restart;
        await Task.Delay(TimeSpan.FromSeconds(10)); // orders keep coming after the faults
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        customers.ForEach(c => c.Dispose());

        output.WriteLine($"statuses: {string.Join(", ", load.Statuses.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"))}; accepted {load.Accepted.Count}");
        load.Statuses.Where(status => status >= 500 || status == 0).ShouldBeEmpty($"no customer may see a 5xx; failures: {string.Join(" | ", load.Failures.Take(5))}");
        load.Accepted.Count.ShouldBeGreaterThan(50, "the load must really have placed orders");

        var accepted = load.Accepted.Keys.ToHashSet();
        var counts = await Eventually.MatchesAsync(() => CountAsync(restaurant.Id, accepted),
            c => c.Converged(accepted.Count), Convergence, "every accepted order to reach kitchen, billing and analytics");
        output.WriteLine(counts.ToString());
        counts.Orders.ShouldBe(accepted.Count, "the restaurant has exactly the orders customers were told about");
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

    private async Task RestartDatabaseAsync()
    {
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restarting cockroach");
        await fixture.App.RestartResourceAsync("cockroach");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} cockroach healthy again");
    }

    private async Task<Counts> CountAsync(Guid restaurantId, IReadOnlySet<Guid> accepted)
    {
        var ids = accepted.ToArray();
        await using var db = new NpgsqlConnection(fixture.App.GetConnectionString("cockroach"));
        var orders = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM orders.orders WHERE restaurant_id = @restaurantId", new { restaurantId });
        var tickets = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM kitchen.kitchen_tickets WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var bills = (await db.QueryAsync<(Guid, long)>(
            "SELECT order_id, count(*) FROM billing.bills WHERE order_id = ANY(@ids) GROUP BY order_id", new { ids })).ToList();
        var unsent = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL");

        using var http = new HttpClient();
        var clickHouse = new ClickHouseClient(http, ClickHouseConnectionSettings.Parse(fixture.App.GetConnectionString("clickhouse")));
        var analytics = await clickHouse.QueryAsync<AnalyticsRow>(
            $"SELECT toString(order_id) AS order_id, count() AS copies FROM orders_analytics FINAL " +
            $"WHERE restaurant_id = toUUID('{restaurantId}') GROUP BY order_id", CancellationToken.None);

        return new Counts(orders, Once(tickets), Once(bills),
            Once(analytics.Select(a => (Guid.Parse(a.OrderId), a.Copies)).Where(a => accepted.Contains(a.Item1))),
            Duplicates: tickets.Concat(bills).Count(t => t.Item2 > 1) + analytics.Count(a => a.Copies > 1), Unsent: unsent);
    }

    private static int Once(IEnumerable<(Guid OrderId, long Copies)> rows) => rows.Count(r => r.Copies == 1);

    private sealed record AnalyticsRow(string OrderId, long Copies);

    private sealed record Counts(long Orders, int Tickets, int Bills, int Analytics, int Duplicates, long Unsent)
    {
        public bool Converged(int accepted) =>
            Tickets == accepted && Bills == accepted && Analytics == accepted && Duplicates == 0 && Unsent == 0;
    }

    /// <summary>SIGSTOPs a resource's processes, as an operator's <c>kill -STOP</c> would: nothing is closed, everything just stops answering.</summary>
    private Frozen Freeze(string resource)
    {
        var pids = fixture.App.GetProcessTree(resource);
        pids.ShouldNotBeEmpty($"the {resource} resource must have a process to freeze");
        foreach (var pid in pids) kill(pid, SigStop);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} froze {resource} ({string.Join(",", pids)})");
        return new Frozen(pids, () => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} thawed {resource}"));
    }

    private sealed class Frozen(IReadOnlyCollection<int> pids, Action onThaw)
    {
        public void Thaw()
        {
            foreach (var pid in pids) kill(pid, SigCont);
            onThaw();
        }
    }

    private const int SigStop = 19;
    private const int SigCont = 18;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>
    /// Customers placing orders back to back, each with its own Idempotency-Key, resending the same request (same key)
    /// after a failure or a 429 as a well-behaved client does, until it is answered.
    /// </summary>
    private sealed class OrderLoad(Restaurant restaurant)
    {
        private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
        public ConcurrentDictionary<Guid, string> Accepted { get; } = new();
        public ConcurrentBag<int> Statuses { get; } = [];
        public ConcurrentQueue<string> Failures { get; } = new();

        public async Task RunAsync(Person customer, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var key = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 60; attempt++)
                {
                    var (status, retryAfter, body) = await PlaceAsync(customer, key);
                    Statuses.Add(status);
                    if (status == (int)HttpStatusCode.Created)
                    {
                        Accepted[JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid()] = key;
                        break;
                    }
                    if (status >= 500 || status == 0) Failures.Enqueue($"{status} {body}");
                    if (status is >= 400 and < 500 and not 429 and not 408) { Failures.Enqueue($"{status} {body}"); break; }
                    await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(500));
                }
                await Task.Delay(Pace, CancellationToken.None);
            }
        }

        private async Task<(int Status, TimeSpan? RetryAfter, string Body)> PlaceAsync(Person customer, string key)
        {
            try
            {
                using var response = await customer.PlaceOrderAsync(restaurant.UsualOrder(), key);
                return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException ex)
            {
                return (0, null, ex.Message); // the gateway itself unreachable: counted, and as bad as a 5xx
            }
        }
    }
}
