using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using RestMan.Benchmarks;

// ./bench.sh [seconds] [clients]: the whole graph under load beside the bare engines, printed and kept as JSON.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var duration = TimeSpan.FromSeconds(seconds);
var repositoryRoot = Environment.GetEnvironmentVariable("RESTMAN_ROOT") ?? Directory.GetCurrentDirectory();
var dataRoot = Directory.CreateTempSubdirectory("restman-bench-").FullName;
var results = new SortedDictionary<string, double>(StringComparer.Ordinal);
void Note(string name, double value) => results[name] = Math.Round(value, 2);

var replicas = Environment.GetEnvironmentVariable("RESTMAN_BENCH_REPLICAS") is { Length: > 0 } r ? r : "1 each";
// RestMan as deployed: every span, metric and log is exported, to a collector that is not on these two cores (a sink
// that keeps nothing). RESTMAN_BENCH_TELEMETRY=dashboard sends it to Aspire's dev dashboard instead, as ./run.sh does.
var toDashboard = string.Equals(Environment.GetEnvironmentVariable("RESTMAN_BENCH_TELEMETRY"), "dashboard", StringComparison.OrdinalIgnoreCase);
await using var sink = toDashboard ? null : new OtlpSink();
Console.WriteLine($"RestMan benchmark: {clients} clients, {seconds} s per phase, {Environment.ProcessorCount} cores, data in {dataRoot}, replicas {replicas}, " +
                  $"telemetry to {(sink is null ? "Aspire's dashboard" : $"a sink that keeps nothing ({sink.Endpoint})")}");
var started = Stopwatch.StartNew();
await using (var graph = await RunningGraph.StartAsync(repositoryRoot, dataRoot, TimeSpan.FromMinutes(4), sink?.Endpoint))
{
    Console.WriteLine($"graph up in {started.Elapsed.TotalSeconds:F0} s; gateway {graph.Gateway}");
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = graph.Gateway,
        Timeout = TimeSpan.FromSeconds(30),
    };
    var diners = await Diners.OpenAsync(http, clients);
    await using var jit = graph.MeasureJit();
    using var pipeline = new Pipeline(graph, diners.RestaurantId);
    HttpRequestMessage Order(int client, int sequence) => diners.PlaceOrder(client, sequence);
    HttpRequestMessage Menu(int client, int sequence) => new(HttpMethod.Get, $"/restaurants/{diners.RestaurantId}/menu");

    // Orders at a fixed rate; placement latency, and order -> ticket latency by stage once the consumers caught up.
    async Task OpenLoopAsync(string name, string phase, double perSecond, TimeSpan length)
    {
        var from = DateTimeOffset.UtcNow;
        var load = await Load.OpenAsync(http, perSecond, length, Order, 201);
        var to = DateTimeOffset.UtcNow;
        await pipeline.SecondsToCatchUpAsync(TimeSpan.FromMinutes(2));
        var (ticketP50, ticketP95) = await pipeline.OrderToTicketAsync(from, to);
        Report(phase, load);
        // The wall clock, to line the slowest orders up with what else the machine did then (logs, a CPU sampler).
        Console.WriteLine($"  from {from:HH:mm:ss.fff} to {to:HH:mm:ss.fff} UTC");
        Console.WriteLine($"  order -> kitchen ticket stored: p50 {ticketP50:F0} ms, p95 {ticketP95:F0} ms");
        foreach (var (stage, p50, p95) in await pipeline.OrderToTicketStagesAsync(from, to))
            Console.WriteLine($"    {stage,-36} p50 {p50,5:F0} ms, p95 {p95,5:F0} ms");
        var slowest = await pipeline.SlowestAsync(from, to, 12);
        Console.WriteLine("    slowest, by when placed (s into the phase: relay + kafka + kitchen ms): " +
            string.Join(", ", slowest.Select(s => $"{s.AtSecond:F1}: {s.Relay:F0}+{s.Kafka:F0}+{s.Kitchen:F0}")));
        Note($"orders.{name}.per_second", load.PerSecond);
        Note($"orders.{name}.p50_ms", load.Percentile(0.50));
        Note($"orders.{name}.p95_ms", load.Percentile(0.95));
        Note($"orders.{name}.p99_ms", load.Percentile(0.99));
        Note($"orders.{name}.ticket_p50_ms", ticketP50);
        Note($"orders.{name}.ticket_p95_ms", ticketP95);
    }

    // Warm-up: pools, consumer groups, menu cache, and the JIT. Ten .NET processes recompile their hot code at tier 1
    // in the background; on two shared cores that took a quarter of the CPU well into the first phase. Rounds of the
    // same load go on until it spends under 10 % of one core (or 3 minutes pass): the phases then measure the code.
    var warming = Stopwatch.StartNew();
    for (var round = 1; ; round++)
    {
        var jitBefore = jit.Seconds;
        var roundClock = Stopwatch.StartNew();
        await Load.ClosedAsync(http, clients, TimeSpan.FromSeconds(5), Order, 201);
        await Load.ClosedAsync(http, clients, TimeSpan.FromSeconds(2), Menu, 200);
        await Load.OpenAsync(http, 20, TimeSpan.FromSeconds(2), Order, 201);
        var jitShare = (jit.Seconds - jitBefore) / roundClock.Elapsed.TotalSeconds;
        Console.WriteLine($"  warm-up round {round}: tier-1 JIT {jitShare:P0} of one core");
        if (jitShare < 0.10 || warming.Elapsed > TimeSpan.FromMinutes(3)) break;
    }
    Note("warmup.seconds", warming.Elapsed.TotalSeconds);
    await pipeline.SecondsToCatchUpAsync(TimeSpan.FromMinutes(2));

    // 1. Orders at the maximum rate the gateway answers, then how long the consumers need to catch up.
    var statementStats = await StatementStats.ResetAsync(graph);
    var cpuBefore = graph.Cpu();
    var jitAtStart = jit.Seconds;
    var before = await pipeline.CountAsync();
    var full = await Load.ClosedAsync(http, clients, duration, Order, 201);
    var atStop = await pipeline.CountAsync();
    Note("orders.max.jit_core_share", (jit.Seconds - jitAtStart) / full.Elapsed.TotalSeconds);
    var lag = await pipeline.SecondsToCatchUpAsync(TimeSpan.FromMinutes(3));
    var cpuUsed = graph.Cpu().Since(cpuBefore);
    var placed = (await pipeline.CountAsync()).Orders - before.Orders;
    Report("orders, max rate", full);
    Console.WriteLine($"  tier-1 JIT meanwhile: {results["orders.max.jit_core_share"]:P0} of one core");
    Note("orders.max.per_second", full.PerSecond);
    Note("orders.max.p50_ms", full.Percentile(0.50));
    Note("orders.max.p95_ms", full.Percentile(0.95));
    Note("orders.max.p99_ms", full.Percentile(0.99));
    Note("orders.max.failed", full.Failed);
    Note("pipeline.lag_at_end_s", lag ?? double.NaN);
    Note("pipeline.per_second", placed / (full.Elapsed.TotalSeconds + (lag ?? double.NaN)));
    Console.WriteLine($"  pipeline: {placed} orders; tickets, bills and analytics rows all caught up {lag:F1} s after the load stopped " +
                      $"=> whole pipeline {results["pipeline.per_second"]:F1} orders/s; behind when it stopped: " +
                      $"{atStop.Orders - atStop.Tickets} tickets, {atStop.Orders - atStop.Bills} bills, {atStop.Orders - atStop.AnalyticsRows} analytics rows");
    Console.WriteLine("  CPU ms per order:");
    foreach (var (resource, cpu) in cpuUsed.OrderByDescending(p => p.Value))
    {
        var perOrder = cpu * 1000 / Math.Max(1, placed);
        if (perOrder < 0.05) continue;
        Note($"cpu_ms_per_order.{resource}", perOrder);
        Console.WriteLine($"    {resource,-12} {perOrder,6:F2}");
    }
    if (statementStats)
    {
        Console.WriteLine("  PostgreSQL, statements by execution time (calls and ms per order):");
        foreach (var (calls, ms, statement) in await StatementStats.TopAsync(graph, placed, 12))
            Console.WriteLine($"    {calls,5:F2} {ms,6:F3}  {(statement.Length > 110 ? statement[..110] + "…" : statement)}");
    }
    Note("cpu_ms_per_order.total", results.Where(r => r.Key.StartsWith("cpu_ms_per_order.", StringComparison.Ordinal)).Sum(r => r.Value));

    // 2. Half of that rate, open loop: what a customer waits, and how soon the kitchen sees the order; then a light
    //    10/s, the path's own latency with the machine mostly idle, against which half rate shows queueing.
    var halfRate = Math.Max(1, full.PerSecond / 2);
    await OpenLoopAsync("half", $"orders at half rate ({halfRate:F0}/s)", halfRate, duration);
    await OpenLoopAsync("light", "orders at light load (10/s)", 10, duration / 2);

    // 3. The public menu (cached) through the gateway.
    var menuBytes = (await http.GetByteArrayAsync($"/restaurants/{diners.RestaurantId}/menu")).Length;
    var menu = await Load.ClosedAsync(http, clients, duration / 2, Menu, 200);
    Report($"menu reads ({menuBytes} bytes), .NET HttpClient", menu);
    Note("menu.dotnet_client.per_second", menu.PerSecond);
    Note("menu.dotnet_client.p95_ms", menu.Percentile(0.95));
    var cpuBeforeWrk = graph.Cpu();
    var wrk = await BareEngines.WrkGetAsync(new Uri(graph.Gateway, $"/restaurants/{diners.RestaurantId}/menu"), clients, duration / 2);
    var cpuUsedWrk = graph.Cpu().Since(cpuBeforeWrk);
    Console.WriteLine($"menu reads with wrk: {wrk.PerSecond:F0}/s; p50 {wrk.P50:F1} ms, p99 {wrk.P99:F1} ms; not 2xx: {wrk.Failed}; CPU µs per read: " +
        string.Join(", ", cpuUsedWrk.Select(p => (p.Key, Us: p.Value * 1e6 / Math.Max(1, wrk.PerSecond * (duration / 2).TotalSeconds)))
            .Where(p => p.Us >= 1).OrderByDescending(p => p.Us).Select(p => $"{p.Key} {p.Us:F0}")));
    Note("menu.per_second", wrk.Failed == 0 ? wrk.PerSecond : double.NaN);
    Note("menu.p50_ms", wrk.P50);
    Note("menu.p99_ms", wrk.P99);

    // 3b. The same menu read by a signed-in customer (what every browser user's page costs), and a customer's
    //     tracking read of their own order: neither may be cached for anyone else, both pay the session check.
    var token = diners.CustomerTokens[0];
    var signedInMenu = await BareEngines.WrkGetAsync(new Uri(graph.Gateway, $"/restaurants/{diners.RestaurantId}/menu"), clients, duration / 2, token);
    Console.WriteLine($"menu reads by a signed-in customer with wrk: {signedInMenu.PerSecond:F0}/s; p50 {signedInMenu.P50:F1} ms, p99 {signedInMenu.P99:F1} ms; not 2xx: {signedInMenu.Failed}");
    Note("menu_signed_in.per_second", signedInMenu.Failed == 0 ? signedInMenu.PerSecond : double.NaN);
    Note("menu_signed_in.p50_ms", signedInMenu.P50);
    Note("menu_signed_in.p99_ms", signedInMenu.P99);
    using var tracked = await http.SendAsync(diners.PlaceOrder(0, 0));
    var trackedId = JsonDocument.Parse(await tracked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    var tracking = await BareEngines.WrkGetAsync(new Uri(graph.Gateway, $"/orders/{trackedId}"), clients, duration / 2, token);
    Console.WriteLine($"tracking reads (GET /orders/{{id}} by its customer) with wrk: {tracking.PerSecond:F0}/s; p50 {tracking.P50:F1} ms, p99 {tracking.P99:F1} ms; not 2xx: {tracking.Failed}");
    Note("tracking.per_second", tracking.Failed == 0 ? tracking.PerSecond : double.NaN);
    Note("tracking.p50_ms", tracking.P50);
    Note("tracking.p99_ms", tracking.P99);

    // 4. The bare engines, same instances, same concurrency.
    var (tps, pgLatency) = await BareEngines.OrderTransactionAsync(graph, clients, duration / 2);
    Console.WriteLine($"pgbench, the order transaction alone: {tps:F0} tps, average {pgLatency:F1} ms");
    Note("bare.order_transaction.per_second", tps);
    var (pipelineTps, pipelineLatency) = await BareEngines.WholePipelineAsync(graph, clients, duration / 2);
    Console.WriteLine($"pgbench, per order the order, ticket and bill transactions: {pipelineTps:F0} orders/s, average {pipelineLatency:F1} ms");
    Note("bare.whole_pipeline.per_second", pipelineTps);
    var redisGets = await BareEngines.RedisGetAsync(graph, clients, menuBytes, 200_000);
    Console.WriteLine($"redis-benchmark GET of {menuBytes} bytes: {redisGets:F0} per second");
    Note("bare.redis_get.per_second", redisGets);

    // 5. What the graph burns doing nothing (polls, health checks, telemetry), after a pause: measured right after the
    //    warm-up it read ~2 cores busy (likely background tier-1 JIT), while top on an idle ./run.sh graph shows ~0.5.
    await Task.Delay(TimeSpan.FromSeconds(15));
    var idleBefore = graph.Cpu();
    await Task.Delay(TimeSpan.FromSeconds(10));
    var idleUsed = graph.Cpu().Since(idleBefore);
    var idle = idleUsed.Sum(p => p.Value) / 10;
    Note("idle.cpu_share", idle);
    Console.WriteLine($"idle: {idle:P0} of one core; " + string.Join(", ", idleUsed
        .Select(p => (p.Key, Share: p.Value / 10)).Where(p => p.Share >= 0.005)
        .OrderByDescending(p => p.Share).Select(p => $"{p.Key} {p.Share:P1}")));

    Note("ratio.orders_vs_bare", full.PerSecond / tps);
    if (sink is not null)
    {
        Console.WriteLine($"telemetry sink: {sink.Exports} exports, {sink.Bytes / 1e6:F1} MB received");
        Note("telemetry.sink_mb", sink.Bytes / 1e6);
    }
    Note("ratio.menu_vs_redis", results["menu.per_second"] / redisGets);
    Note("ratio.menu_signed_in_vs_redis", results["menu_signed_in.per_second"] / redisGets);
    Note("ratio.pipeline_vs_bare", results["pipeline.per_second"] / pipelineTps);
}
// A data directory still being written by a process on its way down (Redis' last save) is retried, then left.
for (var attempt = 1; Directory.Exists(dataRoot); attempt++)
{
    try
    {
        Directory.Delete(dataRoot, recursive: true);
    }
    catch (IOException) when (attempt < 5)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
    }
    catch (IOException ex)
    {
        Console.Error.WriteLine($"could not delete {dataRoot}: {ex.Message}");
        break;
    }
}

Console.WriteLine();
Console.WriteLine("side by side                              RestMan    bare engine   ratio");
Console.WriteLine($"orders/s through the gateway vs pgbench  {results["orders.max.per_second"],8:F1} {results["bare.order_transaction.per_second"],12:F0}   {results["ratio.orders_vs_bare"],6:P0}   (target >= 50%)");
Console.WriteLine($"menu reads/s vs redis-benchmark GET      {results["menu.per_second"],8:F0} {results["bare.redis_get.per_second"],12:F0}   {results["ratio.menu_vs_redis"],6:P0}   (target >= 30%)");
Console.WriteLine($"signed-in menu reads/s vs redis GET      {results["menu_signed_in.per_second"],8:F0} {results["bare.redis_get.per_second"],12:F0}   {results["ratio.menu_signed_in_vs_redis"],6:P0}   (target >= 30%)");
Console.WriteLine($"whole pipeline orders/s vs pgbench       {results["pipeline.per_second"],8:F1} {results["bare.whole_pipeline.per_second"],12:F0}   {results["ratio.pipeline_vs_bare"],6:P0}   lag at end {results["pipeline.lag_at_end_s"]:F1} s (target < 1 s)");
Console.WriteLine($"tracking reads/s (GET /orders/{{id}})      {results["tracking.per_second"],8:F0}");
Console.WriteLine($"p95 placement at half rate               {results["orders.half.p95_ms"],8:F0} ms                 (target <= 50 ms)");
Console.WriteLine($"p95 order -> ticket at half rate         {results["orders.half.ticket_p95_ms"],8:F0} ms                 (target <= 200 ms)");

// Kept for comparing two runs: .bench/ is git-ignored.
var folder = Path.Combine(repositoryRoot, ".bench");
Directory.CreateDirectory(folder);
var previous = Directory.GetFiles(folder, "bench-*.json").Order(StringComparer.Ordinal).LastOrDefault();
var file = Path.Combine(folder, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { clients, seconds, commit = Environment.GetEnvironmentVariable("RESTMAN_COMMIT"), results },
    new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"\nresults: {file}");
if (previous is not null)
{
    var earlier = JsonDocument.Parse(await File.ReadAllTextAsync(previous)).RootElement.GetProperty("results");
    Console.WriteLine($"compared with {Path.GetFileName(previous)}:");
    foreach (var (name, value) in results)
        if (earlier.TryGetProperty(name, out var old) && old.ValueKind == JsonValueKind.Number)
            Console.WriteLine($"  {name,-40} {old.GetDouble(),10:F2} -> {value,10:F2}");
}
return 0;

static void Report(string phase, LoadResult load)
{
    var statuses = string.Join(", ", load.Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "transport error" : ((HttpStatusCode)s.Key).ToString())} x{s.Value}"));
    Console.WriteLine($"{phase}: {load.PerSecond:F1}/s over {load.Elapsed.TotalSeconds:F0} s; p50 {load.Percentile(0.5):F0} ms, " +
                      $"p95 {load.Percentile(0.95):F0} ms, p99 {load.Percentile(0.99):F0} ms; {statuses}");
    foreach (var sample in load.FailureSamples) Console.WriteLine($"  failed: {sample}");
}
