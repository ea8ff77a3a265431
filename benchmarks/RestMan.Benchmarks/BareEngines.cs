using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace RestMan.Benchmarks;

/// <summary>The engines alone on the same instances: pgbench running the order transaction, redis-benchmark GET.</summary>
public static partial class BareEngines
{
    /// <summary>
    /// What Orders' placement transaction does, round trip for round trip (order + lines + first history step, the
    /// Idempotency-Key and the outbox row with its stream number in one pipelined batch; COMMIT), into copies of
    /// its tables in a <c>bench</c> schema so no consumer sees these orders. (A
    /// colon directly before a word is a pgbench variable: the JSON has a space after each.)
    /// </summary>
    private const string OrderTransaction = """
        \set n random(1, 9223372036854775806)
        \startpipeline
        BEGIN ISOLATION LEVEL SERIALIZABLE;
        INSERT INTO bench.orders (id, user_id, restaurant_id, order_type, status, total_price, notes, delivery_address, placed_at, updated_at, completed_at, cancelled_at, created_at) VALUES (md5('o' || :n)::uuid, md5('u' || :client_id)::uuid, 'b0000000-0000-0000-0000-000000000001', 'dine_in', 'PLACED', 30.00, NULL, NULL, now(), now(), NULL, NULL, now());
        INSERT INTO bench.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, created_at) VALUES (md5('o' || :n)::uuid, 1, 'f0000000-0000-0000-0000-000000000001', 'Margherita', 9.50, 2, 19.00, now());
        INSERT INTO bench.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, created_at) VALUES (md5('o' || :n)::uuid, 2, 'f0000000-0000-0000-0000-000000000002', 'Diavola', 11.00, 1, 11.00, now());
        INSERT INTO bench.order_status_history (order_id, step, old_status, new_status, changed_by, changed_by_user_id, changed_at) VALUES (md5('o' || :n)::uuid, 1, NULL, 'PLACED', 'user', md5('u' || :client_id)::uuid, now());
        INSERT INTO bench.idempotency_keys (user_id, idempotency_key, request_hash, order_id, created_at) VALUES (md5('u' || :client_id)::uuid, md5('k' || :n), md5('h' || :n), md5('o' || :n)::uuid, now());
        WITH stream AS (INSERT INTO bench.outbox_streams AS s (topic, message_key, last_seq, updated_at) VALUES ('order.events', md5('o' || :n), 1, now()) ON CONFLICT (topic, message_key) DO UPDATE SET last_seq = s.last_seq + 1, updated_at = excluded.updated_at RETURNING last_seq) INSERT INTO bench.outbox (event_id, event_type, event_version, topic, message_key, key_seq, payload, source, trace_parent, created_at) SELECT md5('e' || :n)::uuid, 'order.placed', 1, 'order.events', md5('o' || :n), stream.last_seq, '{"order_id": "b0000000-0000-0000-0000-000000000001","user_id": "b0000000-0000-0000-0000-000000000002","restaurant_id": "b0000000-0000-0000-0000-000000000003","order_type": "dine_in","status": "PLACED","total_price": 30.00,"notes": null,"delivery_address": null,"placed_at": "2026-12-02T10:00:00Z","items": [{"food_id": "f0000000-0000-0000-0000-000000000001","food_name": "Margherita","quantity": 2,"unit_price": 9.50,"line_total": 19.00},{"food_id": "f0000000-0000-0000-0000-000000000002","food_name": "Diavola","quantity": 1,"unit_price": 11.00,"line_total": 11.00}]}', 'orders', NULL, now() FROM stream;
        \endpipeline
        COMMIT;
        """;

    private static readonly string[] Tables = ["orders", "order_items", "order_status_history", "idempotency_keys", "outbox", "outbox_streams"];

    public static async Task<(double Tps, double AverageMs)> OrderTransactionAsync(RunningGraph graph, int clients, TimeSpan duration)
    {
        await using (var connection = new NpgsqlConnection(graph.Postgres))
        {
            await connection.OpenAsync();
            var ddl = "DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench;" +
                      string.Concat(Tables.Select(t => $"CREATE TABLE bench.{t} (LIKE orders.{t} INCLUDING ALL);"));
            await using var command = new NpgsqlCommand(ddl, connection);
            await command.ExecuteNonQueryAsync();
        }

        var script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, OrderTransaction);
            var output = await RunAsync("pgbench", "-h", "127.0.0.1", "-p", graph.Port("cockroach").ToString(CultureInfo.InvariantCulture),
                "-U", "postgres", "-n", "-M", "extended", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script, "restman");
            return (Number(PgbenchTps().Match(output)), Number(PgbenchLatency().Match(output)));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>GET of a value the size of the menu, the operation a cached menu read costs Redis.</summary>
    public static async Task<double> RedisGetAsync(RunningGraph graph, int clients, int valueBytes, int requests)
    {
        var output = await RunAsync("redis-benchmark", "-h", "127.0.0.1", "-p", graph.Port("redis").ToString(CultureInfo.InvariantCulture),
            "-t", "get", "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture),
            "-d", valueBytes.ToString(CultureInfo.InvariantCulture), "--csv");
        return Number(RedisCsv().Match(output));
    }

    /// <summary>
    /// wrk (one thread, like redis-benchmark) GETting <paramref name="url"/>: a C load generator for a C one, so the
    /// client's own CPU does not decide the ratio. Requests/s, p50 and p99 in ms, and answers that were not 2xx/3xx.
    /// </summary>
    public static async Task<(double PerSecond, double P50, double P99, long Failed)> WrkGetAsync(Uri url, int clients, TimeSpan duration)
    {
        var output = await RunAsync("wrk", "-t1", $"-c{clients}", $"-d{(int)duration.TotalSeconds}s", "--latency", url.ToString());
        var failed = WrkFailed().Match(output);
        return (Number(WrkRate().Match(output)), Milliseconds(WrkPercentile("50").Match(output)), Milliseconds(WrkPercentile("99").Match(output)),
            failed.Success ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    // wrk prints latencies as 1.23ms, 456.00us or 1.02s.
    private static double Milliseconds(Match match) => !match.Success ? double.NaN : match.Groups[2].Value switch
    {
        "us" => Number(match) / 1000,
        "s" => Number(match) * 1000,
        _ => Number(match),
    };

    private static Regex WrkPercentile(string percent) => new($@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
        return await output + await error;
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex PgbenchTps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex PgbenchLatency();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex WrkRate();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex WrkFailed();

    [GeneratedRegex(@"""GET"",""([\d.]+)""")]
    private static partial Regex RedisCsv();
}
